/*
 * memory.c: reading and writing this process's memory at addresses the
 * server names, without faulting.
 *
 * The server asks for copies at whatever addresses the application passed
 * to a system call; a bad pointer must give the call EFAULT, not kill the
 * client.  process_vm_readv/writev on our own pid check the addresses in
 * the kernel and report a fault as a short transfer.  Where they are not
 * allowed (seccomp filters, old kernels: ENOSYS or EPERM) plain memcpy is
 * the fallback, as the reference client always does, and the inline
 * extension is switched off (rc_mem_faultsafe) so that the library reads
 * no memory on its own initiative.
 */
#include "rc_int.h"

#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

/* Set once process_vm_* turned out not to work here. */
static int no_pvm;

/* Transfers per call for string reads: one remote iovec per page. */
#define PAGE_CHUNKS 16

static size_t
page_size(void)
{
	static size_t ps;

	if (ps == 0) {
		long n = sysconf(_SC_PAGESIZE);
		ps = n > 0 ? (size_t)n : 4096;
	}
	return ps;
}

/* 1 if process_vm_* failed for want of permission or support. */
static int
unavailable(void)
{
	if (errno == ENOSYS || errno == EPERM) {
		__atomic_store_n(&no_pvm, 1, __ATOMIC_RELAXED);
		return 1;
	}
	return 0;
}

/* 1 if reads and writes here cannot fault (process_vm_* works). */
int
rc_mem_faultsafe(void)
{
	return !__atomic_load_n(&no_pvm, __ATOMIC_RELAXED);
}

/* Copy len bytes at addr to dst: 0, or -1 if any of them is unreadable. */
int
rc_mem_read(void *dst, uint64_t addr, size_t len)
{
	struct iovec local = { dst, len };
	struct iovec remote = { (void *)(uintptr_t)addr, len };
	ssize_t n;

	if (len == 0)
		return 0;
	if (!__atomic_load_n(&no_pvm, __ATOMIC_RELAXED)) {
		n = process_vm_readv(getpid(), &local, 1, &remote, 1, 0);
		if (n >= 0)
			return (size_t)n == len ? 0 : -1;
		if (!unavailable())
			return -1;
	}
	memcpy(dst, (const void *)(uintptr_t)addr, len);
	return 0;
}

/* Copy len bytes from src to addr: 0, or -1 if any of them is unwritable. */
int
rc_mem_write(uint64_t addr, const void *src, size_t len)
{
	struct iovec local = { (void *)(uintptr_t)src, len };
	struct iovec remote = { (void *)(uintptr_t)addr, len };
	ssize_t n;

	if (len == 0)
		return 0;
	if (!__atomic_load_n(&no_pvm, __ATOMIC_RELAXED)) {
		n = process_vm_writev(getpid(), &local, 1, &remote, 1, 0);
		if (n >= 0)
			return (size_t)n == len ? 0 : -1;
		if (!unavailable())
			return -1;
	}
	memcpy((void *)(uintptr_t)addr, src, len);
	return 0;
}

/*
 * Copy the string at addr, NUL included, into dst (max bytes of room).
 * Returns its length with the NUL; max if there is no NUL within max
 * bytes; -1 if memory before the NUL is unreadable.
 *
 * A string may end just before an unmapped page, so the read must not ask
 * for bytes past the page that holds the NUL as one transfer: the remote
 * side goes page by page, and a short transfer stops at the first
 * unreadable page.
 */
ssize_t
rc_mem_readstr(void *dst, uint64_t addr, size_t max)
{
	struct iovec local, remote[PAGE_CHUNKS];
	size_t ps = page_size(), done = 0, want, room, i, k;
	uint8_t *d = dst, *nul;
	ssize_t n;

	while (done < max && !__atomic_load_n(&no_pvm, __ATOMIC_RELAXED)) {
		uint64_t a = addr + done;

		want = 0;
		for (k = 0; k < PAGE_CHUNKS && done + want < max; k++) {
			room = ps - (size_t)((a + want) & (ps - 1));
			if (room > max - done - want)
				room = max - done - want;
			remote[k].iov_base = (void *)(uintptr_t)(a + want);
			remote[k].iov_len = room;
			want += room;
		}
		local.iov_base = d + done;
		local.iov_len = want;
		n = process_vm_readv(getpid(), &local, 1, remote, k, 0);
		if (n == -1) {
			if (unavailable())
				break;
			return -1;
		}
		nul = memchr(d + done, 0, (size_t)n);
		if (nul != NULL)
			return nul - d + 1;
		done += (size_t)n;
		if ((size_t)n < want)
			return -1;
	}
	if (done >= max)
		return (ssize_t)max;

	/* The fallback: strnlen on memory we cannot check. */
	i = strnlen((const char *)(uintptr_t)(addr + done), max - done);
	memcpy(d + done, (const void *)(uintptr_t)(addr + done),
	    i < max - done ? i + 1 : i);
	return i < max - done ? (ssize_t)(done + i + 1) : (ssize_t)max;
}
