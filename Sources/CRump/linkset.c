/*
 * Finding components and modules in loaded objects.
 *
 * RUMP_COMPONENT and MODULE place pointers in the ELF sections
 * link_set_rump_components and link_set_modules, whose bounds the linker
 * exports as __start_/__stop_link_set_<name>.  Each loaded object has its own
 * pair; dlsym() on an object's handle also searches its dependencies, so an
 * address is taken only if it lies inside that object's own segments.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <link.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rump_core.h"

#define MAXSEGS 16

struct object {
	char *name;			/* "" for the main program */
	uintptr_t start[MAXSEGS], end[MAXSEGS];
	int nsegs;
};

struct objects {
	struct object *list;
	size_t count, cap;
};

static int
collect(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct objects *objs = arg;
	struct object *o;
	int i;

	(void)size;
	if (strncmp(info->dlpi_name, "linux-vdso", 10) == 0)
		return 0;
	if (objs->count == objs->cap) {
		size_t cap = objs->cap ? objs->cap * 2 : 32;
		struct object *l = realloc(objs->list, cap * sizeof(*l));

		if (l == NULL)
			return 1;
		objs->list = l;
		objs->cap = cap;
	}
	o = &objs->list[objs->count];
	o->name = strdup(info->dlpi_name);
	if (o->name == NULL)
		return 1;
	o->nsegs = 0;
	for (i = 0; i < info->dlpi_phnum && o->nsegs < MAXSEGS; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];

		if (ph->p_type != PT_LOAD)
			continue;
		o->start[o->nsegs] = info->dlpi_addr + ph->p_vaddr;
		o->end[o->nsegs] = info->dlpi_addr + ph->p_vaddr + ph->p_memsz;
		o->nsegs++;
	}
	objs->count++;
	return 0;
}

static int
inside(const struct object *o, const void *p)
{
	int i;

	for (i = 0; i < o->nsegs; i++)
		if ((uintptr_t)p >= o->start[i] && (uintptr_t)p <= o->end[i])
			return 1;
	return 0;
}

static void
walk_object(const char *set, const struct object *o, void *handle, rumpc_linkset_fn fn)
{
	const void *const *start, *const *stop, *const *p;
	char name[128];

	snprintf(name, sizeof(name), "__start_link_set_%s", set);
	start = dlsym(handle, name);
	snprintf(name, sizeof(name), "__stop_link_set_%s", set);
	stop = dlsym(handle, name);
	if (start == NULL || stop == NULL || !inside(o, start) ||
	    !inside(o, stop) || stop < start)
		return;
	for (p = start; p < stop; p++)
		if (*p != NULL)
			fn(*p, o->name[0] ? o->name : "(program)");
}

void
rumpc_linkset_walk(const char *set, void *only, rumpc_linkset_fn fn)
{
	struct objects objs = { NULL, 0, 0 };
	size_t i;

	/* Collect first: dlopen() must not run inside dl_iterate_phdr(). */
	dl_iterate_phdr(collect, &objs);
	for (i = 0; i < objs.count; i++) {
		struct object *o = &objs.list[i];
		void *h = dlopen(o->name[0] ? o->name : NULL, RTLD_LAZY | RTLD_NOLOAD);

		if (h != NULL) {
			if (only == NULL || only == h)
				walk_object(set, o, h, fn);
			dlclose(h);
		}
		free(o->name);
	}
	free(objs.list);
}

const char *
rumpc_object_name(const void *addr)
{
	Dl_info info;

	if (dladdr(addr, &info) == 0 || info.dli_fname == NULL)
		return "?";
	return info.dli_fname;
}
