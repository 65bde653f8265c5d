/*
 * Walking the dynamic symbol tables of every loaded object, for system call
 * rebinding: the core looks for rumpns_sys_<name> (and friends) in the
 * program, its libraries and plugins, whether they were opened RTLD_GLOBAL or
 * RTLD_LOCAL.  One pass over each table is much cheaper than a dlsym() per
 * system call per object.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <link.h>
#include <stdint.h>
#include <string.h>

#include "rump_core.h"

struct walk {
	const char *prefix;
	size_t prefixlen;
	rumpc_symbol_fn fn;
	void *ctx;
	const void *skip;	/* an address inside the object to leave out */
};

/* Number of symbols, from DT_HASH's nchain or by walking DT_GNU_HASH. */
static size_t
symbol_count(const ElfW(Word) *hash, const uint32_t *gnuhash)
{
	const uint32_t *buckets, *chains;
	uint32_t nbuckets, symoffset, bloomsize, i, last = 0;

	if (hash != NULL)
		return hash[1];
	if (gnuhash == NULL)
		return 0;
	nbuckets = gnuhash[0];
	symoffset = gnuhash[1];
	bloomsize = gnuhash[2];
	buckets = gnuhash + 4 + bloomsize * (sizeof(ElfW(Addr)) / 4);
	chains = buckets + nbuckets;
	for (i = 0; i < nbuckets; i++)
		if (buckets[i] > last)
			last = buckets[i];
	if (last < symoffset)
		return symoffset;
	while (!(chains[last - symoffset] & 1))
		last++;
	return last + 1;
}

/* Dynamic-section addresses are relocated in some objects and not others. */
static const void *
dynptr(struct dl_phdr_info *info, ElfW(Addr) value)
{
	if (value < info->dlpi_addr)
		return (const void *)(info->dlpi_addr + value);
	return (const void *)value;
}

static int
inside(struct dl_phdr_info *info, const void *p)
{
	int i;

	for (i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		uintptr_t start = info->dlpi_addr + ph->p_vaddr;

		if (ph->p_type == PT_LOAD && (uintptr_t)p >= start &&
		    (uintptr_t)p < start + ph->p_memsz)
			return 1;
	}
	return 0;
}

static int
walk_object(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct walk *w = arg;
	const ElfW(Dyn) *dyn = NULL;
	const ElfW(Sym) *symtab = NULL;
	const char *strtab = NULL;
	const ElfW(Word) *hash = NULL;
	const uint32_t *gnuhash = NULL;
	size_t n, i;
	int k;

	(void)size;
	if (w->skip != NULL && inside(info, w->skip))
		return 0;
	for (k = 0; k < info->dlpi_phnum; k++)
		if (info->dlpi_phdr[k].p_type == PT_DYNAMIC)
			dyn = (const ElfW(Dyn) *)(info->dlpi_addr + info->dlpi_phdr[k].p_vaddr);
	if (dyn == NULL)
		return 0;
	for (; dyn->d_tag != DT_NULL; dyn++) {
		switch (dyn->d_tag) {
		case DT_SYMTAB: symtab = dynptr(info, dyn->d_un.d_ptr); break;
		case DT_STRTAB: strtab = dynptr(info, dyn->d_un.d_ptr); break;
		case DT_HASH: hash = dynptr(info, dyn->d_un.d_ptr); break;
		case DT_GNU_HASH: gnuhash = dynptr(info, dyn->d_un.d_ptr); break;
		}
	}
	if (symtab == NULL || strtab == NULL)
		return 0;
	n = symbol_count(hash, gnuhash);
	for (i = 1; i < n; i++) {
		const ElfW(Sym) *s = &symtab[i];
		const char *name = strtab + s->st_name;

		if (s->st_shndx == SHN_UNDEF || s->st_value == 0 ||
		    ELF64_ST_TYPE(s->st_info) != STT_FUNC ||
		    strncmp(name, w->prefix, w->prefixlen) != 0)
			continue;
		w->fn(name, (const void *)(info->dlpi_addr + s->st_value),
		    info->dlpi_name[0] ? info->dlpi_name : "(program)", w->ctx);
	}
	return 0;
}

void
rumpc_symbols_walk(const char *prefix, rumpc_symbol_fn fn, void *ctx)
{
	struct walk w = { prefix, strlen(prefix), fn, ctx, (const void *)rumpc_symbols_walk };

	dl_iterate_phdr(walk_object, &w);
}
