/*
 * librumpuser: the hypercall library that rump link lines name
 * (-lrump -lrumpuser).  This library's kernel calls the host directly, so
 * librumpuser only carries the parameter interface that tools built for the
 * reference may call; it exists so that existing link lines keep working.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The hypercall interface version of NetBSD 7.99 (rumpuser.h). */
#define RUMPUSER_VERSION 17

int rumpuser_getparam(const char *name, void *buf, size_t buflen);
int rumpuser_getversion(void);

int
rumpuser_getversion(void)
{
	return RUMPUSER_VERSION;
}

/*
 * Read a boot parameter: the environment, except the two reserved names
 * the kernel asks for.  Returns 0 or a NetBSD errno (ENOENT 2, E2BIG 7).
 */
int
rumpuser_getparam(const char *name, void *buf, size_t buflen)
{
	char tmp[512];
	const char *value;
	size_t len;

	if (name == NULL || buf == NULL || buflen == 0)
		return 22;	/* EINVAL */
	if (strcmp(name, "_RUMPUSER_NCPU") == 0) {
		value = getenv("RUMP_NCPU");
		if (value == NULL)
			value = "2";
		else if (strcmp(value, "host") == 0) {
			snprintf(tmp, sizeof(tmp), "%ld",
			    sysconf(_SC_NPROCESSORS_ONLN));
			value = tmp;
		}
	} else if (strcmp(name, "_RUMPUSER_HOSTNAME") == 0) {
		char host[256] = "";

		(void)gethostname(host, sizeof(host) - 1);
		snprintf(tmp, sizeof(tmp), "rump-%05d.%s", (int)getpid(), host);
		value = tmp;
	} else {
		value = getenv(name);
		if (value == NULL)
			return 2;	/* ENOENT */
	}
	len = strlen(value);
	if (len + 1 > buflen)
		return 7;	/* E2BIG */
	memcpy(buf, value, len + 1);
	return 0;
}
