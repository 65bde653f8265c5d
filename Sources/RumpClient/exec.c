/*
 * exec.c: rumpclient_exec(), an execve() after which the new image goes on
 * as the same rump process.
 *
 * The socket survives the exec (its close-on-exec flag is cleared just for
 * it) and the environment tells the new image where it is:
 * RUMPCLIENT__EXECFD=<socket>,<aux> and RUMP__PARSEDSERVER=<url>.  The
 * reference passes a signal descriptor as <aux>; this library needs none
 * and passes -1.  The new image's rumpclient_init() takes the socket and
 * sends an EXEC handshake with its own name.
 */
#include "rc_int.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int
ours(const char *var)
{
	return strncmp(var, "RUMPCLIENT__EXECFD=", 19) == 0 ||
	    strncmp(var, "RUMP__PARSEDSERVER=", 19) == 0;
}

int
rumpclient_exec(const char *path, char *const argv[], char *const envp[])
{
	struct rc_conn *c = __atomic_load_n(&rc_cur, __ATOMIC_ACQUIRE);
	char fdvar[64], urlvar[sizeof(rc_srv.url) + 24];
	char *small[256], **env = small;
	size_t n = 0, i, k = 0;
	int e, keep, quiet;

	/* Without a connection of ours the new image starts afresh. */
	keep = c != NULL && c->state == RC_LIVE && c->pid == getpid();
	/* From a signal handler inside our own call the socket is ours already. */
	quiet = keep && !rc_is_rxowner(c);

	/*
	 * On the stack if it fits: a vfork() child's heap is the parent's,
	 * and nobody would free it there.
	 */
	while (envp != NULL && envp[n] != NULL)
		n++;
	if (n + 3 > sizeof(small) / sizeof(small[0]) &&
	    (env = malloc((n + 3) * sizeof(*env))) == NULL) {
		errno = ENOMEM;
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (!ours(envp[i]))
			env[k++] = envp[i];
	}
	if (keep) {
		snprintf(fdvar, sizeof(fdvar), "RUMPCLIENT__EXECFD=%d,-1", c->fd);
		env[k++] = fdvar;
		snprintf(urlvar, sizeof(urlvar), "RUMP__PARSEDSERVER=%s", rc_srv.url);
		env[k++] = urlvar;
	}
	env[k] = NULL;

	/*
	 * No frame of ours may be cut off half sent, or the new image would
	 * find the stream out of step: hold the connection still.
	 */
	if (quiet)
		rc_quiesce(c);
	if (keep)
		(void)fcntl(c->fd, F_SETFD, 0);
	execve(path, argv, env);
	e = errno;
	if (keep)
		(void)fcntl(c->fd, F_SETFD, FD_CLOEXEC);
	if (quiet)
		rc_unquiesce(c);
	if (env != small)
		free(env);
	errno = e;
	return -1;
}
