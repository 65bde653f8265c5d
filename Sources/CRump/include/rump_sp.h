/*
 * rump_sp.h: the sysproxy server, as the kernel sees it (sp_*.c).
 *
 * The server is the host-side half of remote kernels, as rumpuser_sp is in
 * NetBSD: sockets, frames and threads.  The kernel-side half (processes for
 * connections, the copy layer) is Swift (Sources/RumpKernel/Remote).
 * A connection is an opaque pointer here; a remote process's address space
 * holds it.
 */
#ifndef RUMP_SP_H
#define RUMP_SP_H

#include <stddef.h>

/* Start serving at `url` (unix://path or tcp://addr:port); 0 or a host errno. */
int rumpc_sp_init(const char *url);

/* The kernel halts: answer the remote call this thread serves, if any, and
 * remove the unix socket. */
void rumpc_sp_fini(void);

/*
 * Copies between the kernel and a remote process's memory, asked of the
 * client over its connection (or taken from data the call carried).  They
 * return 0 or a host errno: EFAULT when the client cannot supply the bytes
 * or is gone, ENAMETOOLONG when no NUL comes within `maxlen`.
 */
int rumpc_sp_copyin(void *conn, const void *uaddr, void *kaddr, size_t len);
int rumpc_sp_copyinstr(void *conn, const void *uaddr, void *kaddr, size_t maxlen, size_t *lenp);
int rumpc_sp_copyout(void *conn, const void *kaddr, void *uaddr, size_t len);

/* Ask the client to raise NetBSD signal `signo` in itself. */
int rumpc_sp_raise(void *conn, int signo);

#endif /* RUMP_SP_H */
