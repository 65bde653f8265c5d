/*
 * Typed system call handlers: a plugin may implement a system call with its
 * natural C signature, int (struct lwp *, <arguments>, register_t *retval),
 * instead of the kernel convention.  The call interface is prepared once,
 * when the handler is bound; each call only points libffi at the argument
 * slots.
 */
#include <ffi.h>
#include <stdlib.h>
#include <string.h>

#include "rump_core.h"

#define MAXARGS 8

struct rumpc_typed {
	ffi_cif cif;
	ffi_type *types[MAXARGS + 2];
	void (*fn)(void);
	int nargs;
	unsigned char slot[MAXARGS];	/* which 8-byte slot feeds each argument */
};

struct rumpc_typed *
rumpc_typed_prepare(const void *fn, const char *kinds)
{
	struct rumpc_typed *t;
	int slot, n = 0;

	if (fn == NULL || kinds == NULL)
		return NULL;
	t = calloc(1, sizeof(*t));
	if (t == NULL)
		return NULL;
	t->types[n] = &ffi_type_pointer;	/* struct lwp * */
	for (slot = 0; kinds[slot] != '\0'; slot++) {
		ffi_type *type;

		switch (kinds[slot]) {
		case '_': continue;
		case 'i': type = &ffi_type_sint32; break;
		case 'u': type = &ffi_type_uint32; break;
		case 'q': type = &ffi_type_sint64; break;
		case 'Q': type = &ffi_type_uint64; break;
		case 'p': type = &ffi_type_pointer; break;
		default: free(t); return NULL;
		}
		if (n == MAXARGS) {
			free(t);
			return NULL;
		}
		t->slot[n] = (unsigned char)slot;
		t->types[++n] = type;
	}
	t->types[n + 1] = &ffi_type_pointer;	/* register_t *retval */
	t->nargs = n;
	memcpy(&t->fn, &fn, sizeof(t->fn));
	if (ffi_prep_cif(&t->cif, FFI_DEFAULT_ABI, (unsigned)n + 2, &ffi_type_sint,
	    t->types) != FFI_OK) {
		free(t);
		return NULL;
	}
	return t;
}

void
rumpc_typed_free(struct rumpc_typed *t)
{
	free(t);
}

int
rumpc_typed_call(const struct rumpc_typed *t, void *lwp, const void *args, long *retval)
{
	void *values[MAXARGS + 2];
	ffi_arg rc;
	int i;

	values[0] = &lwp;
	for (i = 0; i < t->nargs; i++)
		values[i + 1] = (char *)(uintptr_t)args + 8 * t->slot[i];
	values[t->nargs + 1] = &retval;
	ffi_call((ffi_cif *)&t->cif, t->fn, &rc, values);
	return (int)rc;
}
