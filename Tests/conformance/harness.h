/*
 * harness.h -- checks, sub-processes and NetBSD helpers for the librump
 * conformance cases in Tests/conformance/cases/.
 *
 * Output, one line per check (run.sh counts them):
 *   ok - <case>: <what>
 *   not ok - <case>: <what>: got X (errno E) want Y
 *   skip - <case>: <what>: <why>
 * and, last, the case's summary line:
 *   # <case>: N passed, N failed, N skipped
 *
 * Every check compares with a concrete value: NetBSD errno numbers
 * (RUMP_E* from <rump/rumpdefs.h>, never the host's), exact strings and
 * exact sizes.  errno is cleared before each checked expression, so a check
 * also reports the errno the expression left behind -- and so an errno
 * value to be checked must be saved into a variable first.
 *
 * A case that needs a fresh kernel (boot parameters, halting, daemonizing,
 * operations that may crash) re-runs its own binary as "prog --sub NAME"
 * with h_run_sub() and inspects the sub-process's stdout, stderr and wait
 * status.  Sub-processes report values as lines "@key value [value]".
 */
#ifndef CONFORMANCE_HARNESS_H
#define CONFORMANCE_HARNESS_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif

#include <sys/types.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>
#include <rump/rumpdefs.h>

#define H_UNUSED __attribute__((unused))

/* ------------------------------------------------------------------ */
/* Results                                                             */
/* ------------------------------------------------------------------ */

static const char *h_case = "?";
static int h_npass, h_nfail, h_nskip;
/* serialises result lines of checks made from several host threads */
static pthread_mutex_t h_lock = PTHREAD_MUTEX_INITIALIZER;

/* Boot parameters a case must not inherit from the caller's environment. */
static const char *const h_boot_params[] = {
	"RUMP_VERBOSE", "RUMP_NCPU", "RUMP_MEMLIMIT", "RUMP_HOSTNAME",
	"RUMP_THREADS", NULL
};

H_UNUSED static void
h_begin(const char *name)
{
	const char *const *p;

	h_case = name;
	/* line buffered: every result survives a crash of the process */
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (p = h_boot_params; *p != NULL; p++)
		unsetenv(*p);
}

H_UNUSED static int
h_end(void)
{
	printf("# %s: %d passed, %d failed, %d skipped\n", h_case,
	    h_npass, h_nfail, h_nskip);
	fflush(stdout);
	return 0;
}

H_UNUSED static void
h_ok(const char *what)
{
	pthread_mutex_lock(&h_lock);
	printf("ok - %s: %s\n", h_case, what);
	h_npass++;
	pthread_mutex_unlock(&h_lock);
}

H_UNUSED static void __attribute__((format(printf, 2, 3)))
h_notok(const char *what, const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&h_lock);
	printf("not ok - %s: %s: ", h_case, what);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	h_nfail++;
	pthread_mutex_unlock(&h_lock);
}

H_UNUSED static void
h_skip(const char *what, const char *why)
{
	pthread_mutex_lock(&h_lock);
	printf("skip - %s: %s: %s\n", h_case, what, why);
	h_nskip++;
	pthread_mutex_unlock(&h_lock);
}

/* A diagnostic comment line (not counted). */
H_UNUSED static void __attribute__((format(printf, 1, 2)))
h_note(const char *fmt, ...)
{
	char buf[1024], *p;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	for (p = buf; *p != '\0'; p++)	/* one line, whatever the text */
		if (*p == '\n')
			*p = '|';
	pthread_mutex_lock(&h_lock);
	printf("# %s\n", buf);
	pthread_mutex_unlock(&h_lock);
}

/*
 * H_WHAT(fmt, ...): a formatted check description (for checks in loops).
 * Eight rotating buffers, so a few may be alive at once.
 */
H_UNUSED static const char * __attribute__((format(printf, 1, 2)))
H_WHAT(const char *fmt, ...)
{
	static __thread char bufs[8][256];
	static __thread int next;
	char *b = bufs[next++ & 7];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(b, sizeof(bufs[0]), fmt, ap);
	va_end(ap);
	return b;
}

/* ------------------------------------------------------------------ */
/* Checks                                                              */
/* ------------------------------------------------------------------ */

/* expr (any integer or pointer-sized integer) == want */
#define CHECK_EQ(what, expr, want) do {					\
	long long _w = (long long)(want), _g;				\
	int _e;								\
	errno = 0;							\
	_g = (long long)(expr);						\
	_e = errno;							\
	if (_g == _w)							\
		h_ok(what);						\
	else								\
		h_notok((what), "got %lld (errno %d) want %lld",	\
		    _g, _e, _w);					\
} while (0)

/* expr != bad */
#define CHECK_NE(what, expr, bad) do {					\
	long long _b = (long long)(bad), _g;				\
	int _e;								\
	errno = 0;							\
	_g = (long long)(expr);						\
	_e = errno;							\
	if (_g != _b)							\
		h_ok(what);						\
	else								\
		h_notok((what), "got %lld (errno %d) want anything but %lld", \
		    _g, _e, _b);					\
} while (0)

/* expr returns -1 and sets errno to the NetBSD number want_errno */
#define CHECK_ERR(what, expr, want_errno) do {				\
	long long _g;							\
	int _e, _we = (want_errno);					\
	errno = 0;							\
	_g = (long long)(expr);						\
	_e = errno;							\
	if (_g == -1 && _e == _we)					\
		h_ok(what);						\
	else								\
		h_notok((what), "got %lld (errno %d) want -1 (errno %d)", \
		    _g, _e, _we);					\
} while (0)

/*
 * A statement without a result (void lwproc calls) must leave errno at
 * want_errno (0: success; errno is cleared first).
 */
#define CHECK_VOID_ERRNO(what, stmt, want_errno) do {			\
	int _e, _we = (want_errno);					\
	errno = 0;							\
	stmt;								\
	_e = errno;							\
	if (_e == _we)							\
		h_ok(what);						\
	else								\
		h_notok((what), "got errno %d want errno %d", _e, _we);	\
} while (0)

/* lo <= expr <= hi */
#define CHECK_RANGE(what, expr, lo, hi) do {				\
	long long _l = (long long)(lo), _h = (long long)(hi), _g;	\
	int _e;								\
	errno = 0;							\
	_g = (long long)(expr);						\
	_e = errno;							\
	if (_g >= _l && _g <= _h)					\
		h_ok(what);						\
	else								\
		h_notok((what), "got %lld (errno %d) want %lld..%lld",	\
		    _g, _e, _l, _h);					\
} while (0)

#define CHECK_GE(what, expr, lo) CHECK_RANGE(what, expr, lo, LLONG_MAX)

/* a condition, reported with its source text */
#define CHECK_TRUE(what, cond) do {					\
	if (cond)							\
		h_ok(what);						\
	else								\
		h_notok((what), "got false want true: %s", #cond);	\
} while (0)

#define CHECK_NULL(what, ptr) do {					\
	const void *_p = (const void *)(ptr);				\
	if (_p == NULL)							\
		h_ok(what);						\
	else								\
		h_notok((what), "got %p want NULL", _p);		\
} while (0)

#define CHECK_NONNULL(what, ptr) do {					\
	const void *_p = (const void *)(ptr);				\
	if (_p != NULL)							\
		h_ok(what);						\
	else								\
		h_notok((what), "got NULL (errno %d) want a pointer", errno); \
} while (0)

/* NUL-terminated strings are equal */
#define CHECK_STR(what, got, want) do {					\
	const char *_gs = (got), *_ws = (want);				\
	if (_gs != NULL && strcmp(_gs, _ws) == 0)			\
		h_ok(what);						\
	else								\
		h_notok((what), "got \"%s\" want \"%s\"",		\
		    _gs ? _gs : "(null)", _ws);				\
} while (0)

/* haystack (NUL-terminated) contains needle */
#define CHECK_CONTAINS(what, haystack, needle) do {			\
	const char *_hs = (haystack), *_ns = (needle);			\
	if (_hs != NULL && strstr(_hs, _ns) != NULL)			\
		h_ok(what);						\
	else								\
		h_notok((what), "\"%s\" not found in %.300s%s", _ns,	\
		    _hs ? _hs : "(null)",				\
		    _hs && strlen(_hs) > 300 ? "..." : "");		\
} while (0)

#define CHECK_NOT_CONTAINS(what, haystack, needle) do {			\
	const char *_hs = (haystack), *_ns = (needle);			\
	if (_hs != NULL && strstr(_hs, _ns) == NULL)			\
		h_ok(what);						\
	else								\
		h_notok((what), "\"%s\" found in %.300s", _ns,		\
		    _hs ? _hs : "(null)");				\
} while (0)

/* n bytes at got equal want; the first difference is reported */
#define CHECK_MEM(what, got, want, n) do {				\
	const unsigned char *_gm = (const void *)(got);			\
	const unsigned char *_wm = (const void *)(want);		\
	size_t _n = (n), _i;						\
	for (_i = 0; _i < _n && _gm[_i] == _wm[_i]; _i++)		\
		;							\
	if (_i == _n)							\
		h_ok(what);						\
	else								\
		h_notok((what), "byte %zu is 0x%02x want 0x%02x",	\
		    _i, _gm[_i], _wm[_i]);				\
} while (0)

/*
 * A step the rest of the case depends on: on failure report it and end the
 * case (with its summary line) at once.
 */
#define REQUIRE(what, cond) do {					\
	int _e = errno;							\
	if (cond) {							\
		h_ok(what);						\
	} else {							\
		h_notok((what), "got false want true: %s (errno %d)",	\
		    #cond, _e);						\
		h_note("%s: cannot go on after a failed required step",	\
		    h_case);						\
		exit(h_end());						\
	}								\
} while (0)

/* rump_init() as the first required step of a case */
#define H_BOOT() do {							\
	int _rv = rump_init();						\
	errno = _rv;							\
	REQUIRE("rump_init() returns 0", _rv == 0);			\
} while (0)

/* ------------------------------------------------------------------ */
/* Sub-processes                                                       */
/* ------------------------------------------------------------------ */

#define H_SUB_CAP 65536

struct h_sub {
	int status;		/* raw wait status; -1: not run */
	int timed_out;		/* killed at the deadline */
	double elapsed;		/* seconds until the process exited */
	char out[H_SUB_CAP];	/* its stdout, NUL-terminated */
	char err[H_SUB_CAP];	/* its stderr, NUL-terminated */
	size_t outlen, errlen;
};

H_UNUSED static double
h_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

H_UNUSED static double
h_realtime(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

H_UNUSED static void
h_sub_append(char *buf, size_t *len, const char *data, size_t n)
{
	if (*len + n > H_SUB_CAP - 1)
		n = H_SUB_CAP - 1 - *len;
	memcpy(buf + *len, data, n);
	*len += n;
	buf[*len] = '\0';
}

/*
 * Run this program again as "prog --sub NAME" in a fresh host process (its
 * own kernel), with the environment changed by `env` ("K=V" sets K, "K"
 * alone unsets it; NULL-terminated; may be NULL), stdin on /dev/null and
 * stdout/stderr captured separately.  Waits for the process to exit (it is
 * killed after timeout_s seconds) and for its output to end; output still
 * held open by descendants (a daemonized child) is read for one more
 * second after the process exits.  Returns the wait status (also in r).
 */
H_UNUSED static int
h_run_sub(const char *name, const char *const *env, int timeout_s,
    struct h_sub *r)
{
	int po[2], pe[2];
	pid_t pid;
	double start, deadline, exited_at = 0;
	int exited = 0, open_out = 1, open_err = 1;

	memset(r, 0, sizeof(*r));
	r->status = -1;
	fflush(stdout);
	fflush(stderr);
	if (pipe(po) != 0 || pipe(pe) != 0)
		return -1;
	start = h_mono();
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		const char *const *e;
		int nul = open("/dev/null", O_RDONLY);

		if (nul >= 0) {
			dup2(nul, 0);
			if (nul > 2)
				close(nul);
		}
		dup2(po[1], 1);
		dup2(pe[1], 2);
		close(po[0]); close(po[1]);
		close(pe[0]); close(pe[1]);
		for (e = env; e != NULL && *e != NULL; e++) {
			const char *eq = strchr(*e, '=');
			if (eq != NULL) {
				char key[128];
				snprintf(key, sizeof(key), "%.*s",
				    (int)(eq - *e), *e);
				setenv(key, eq + 1, 1);
			} else {
				unsetenv(*e);
			}
		}
		execl("/proc/self/exe", "conformance-sub", "--sub", name,
		    (char *)NULL);
		_exit(127);
	}
	close(po[1]);
	close(pe[1]);
	deadline = start + timeout_s;
	while (open_out || open_err || !exited) {
		struct pollfd pfd[2];
		int n = 0, i, status;
		double now = h_mono();

		if (!exited) {
			pid_t w = waitpid(pid, &status, WNOHANG);
			if (w == pid) {
				exited = 1;
				exited_at = now;
				r->status = status;
				r->elapsed = now - start;
			}
		}
		if (!exited && now > deadline) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			r->status = status;
			r->timed_out = 1;
			r->elapsed = now - start;
			break;
		}
		if (exited && now > exited_at + 1.0)
			break;		/* descendants keep the pipes */
		if (open_out) {
			pfd[n].fd = po[0];
			pfd[n].events = POLLIN;
			n++;
		}
		if (open_err) {
			pfd[n].fd = pe[0];
			pfd[n].events = POLLIN;
			n++;
		}
		if (n == 0) {
			usleep(10000);
			continue;
		}
		if (poll(pfd, n, 50) <= 0)
			continue;
		for (i = 0; i < n; i++) {
			char tmp[4096];
			ssize_t got;

			if (!(pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			got = read(pfd[i].fd, tmp, sizeof(tmp));
			if (pfd[i].fd == po[0]) {
				if (got <= 0)
					open_out = 0;
				else
					h_sub_append(r->out, &r->outlen, tmp, got);
			} else {
				if (got <= 0)
					open_err = 0;
				else
					h_sub_append(r->err, &r->errlen, tmp, got);
			}
		}
	}
	close(po[0]);
	close(pe[0]);
	return r->status;
}

/* "exit 0", "signal 6", "timed out" */
H_UNUSED static const char *
h_wstr(const struct h_sub *r)
{
	static __thread char buf[64];

	if (r->timed_out)
		snprintf(buf, sizeof(buf), "timed out");
	else if (r->status == -1)
		snprintf(buf, sizeof(buf), "not run");
	else if (WIFEXITED(r->status))
		snprintf(buf, sizeof(buf), "exit %d", WEXITSTATUS(r->status));
	else if (WIFSIGNALED(r->status))
		snprintf(buf, sizeof(buf), "signal %d", WTERMSIG(r->status));
	else
		snprintf(buf, sizeof(buf), "status 0x%x", r->status);
	return buf;
}

/* the sub-process ended by exit(code) */
H_UNUSED static int
h_sub_exited(const struct h_sub *r, int code)
{
	return !r->timed_out && r->status != -1 && WIFEXITED(r->status) &&
	    WEXITSTATUS(r->status) == code;
}

#define CHECK_SUB_EXIT(what, r, code) do {				\
	if (h_sub_exited((r), (code)))					\
		h_ok(what);						\
	else								\
		h_notok((what), "got %s want exit %d (stderr: %.200s)",	\
		    h_wstr(r), (code), (r)->err);			\
} while (0)

/*
 * Find the line "@key v1 [v2]" in the sub-process's stdout; returns how many
 * values were read (0: no such line).
 */
H_UNUSED static int
h_sub_val(const struct h_sub *r, const char *key, long long *v1, long long *v2)
{
	char pat[128];
	const char *p = r->out;
	size_t kl;

	snprintf(pat, sizeof(pat), "@%s ", key);
	kl = strlen(pat);
	while ((p = strstr(p, pat)) != NULL) {
		if (p == r->out || p[-1] == '\n') {
			long long a = 0, b = 0;
			int n = sscanf(p + kl, "%lld %lld", &a, &b);
			if (v1 && n >= 1)
				*v1 = a;
			if (v2 && n >= 2)
				*v2 = b;
			return n < 0 ? 0 : n;
		}
		p += kl;
	}
	return 0;
}

/* the text after "@key " up to the end of its line, or NULL */
H_UNUSED static const char *
h_sub_str(const struct h_sub *r, const char *key)
{
	static __thread char buf[1024];
	char pat[128];
	const char *p = r->out;
	size_t kl;

	snprintf(pat, sizeof(pat), "@%s ", key);
	kl = strlen(pat);
	while ((p = strstr(p, pat)) != NULL) {
		if (p == r->out || p[-1] == '\n') {
			const char *e = strchr(p + kl, '\n');
			size_t n = e ? (size_t)(e - (p + kl)) : strlen(p + kl);
			if (n >= sizeof(buf))
				n = sizeof(buf) - 1;
			memcpy(buf, p + kl, n);
			buf[n] = '\0';
			return buf;
		}
		p += kl;
	}
	return NULL;
}

/* sub-process side: report "@key v1 v2" */
H_UNUSED static void
h_report(const char *key, long long v1, long long v2)
{
	printf("@%s %lld %lld\n", key, v1, v2);
	fflush(stdout);
}

/* sub-process side: report the result of a -1/errno call */
#define H_REPORT_CALL(key, expr) do {					\
	long long _g;							\
	errno = 0;							\
	_g = (long long)(expr);						\
	h_report((key), _g, errno);					\
} while (0)

/*
 * Check a value a sub-process reported with "@key v1 v2": v1 must equal
 * want1 and, unless want2 is H_ANY, v2 must equal want2.
 */
#define H_ANY (-0x7fffffffLL)
H_UNUSED static void
h_check_sub_val(const char *what, const struct h_sub *r, const char *key,
    long long want1, long long want2)
{
	long long a = 0, b = 0;
	int n = h_sub_val(r, key, &a, &b);

	if (n == 0)
		h_notok(what, "sub-process did not report @%s (%s; stderr: %.200s)",
		    key, h_wstr(r), r->err);
	else if (a == want1 && (want2 == H_ANY || (n >= 2 && b == want2)))
		h_ok(what);
	else if (want2 == H_ANY)
		h_notok(what, "got %lld want %lld", a, want1);
	else
		h_notok(what, "got %lld (errno %lld) want %lld (errno %lld)",
		    a, b, want1, want2);
}

#define H_IS_SUB(argc, argv) ((argc) > 2 && strcmp((argv)[1], "--sub") == 0)

/* ------------------------------------------------------------------ */
/* NetBSD helpers                                                      */
/* ------------------------------------------------------------------ */

/* __sysctl on a two-component name */
H_UNUSED static int
h_sysctl2(int a, int b, void *old, size_t *oldlen, const void *new,
    size_t newlen)
{
	int mib[2] = { a, b };

	return rump_sys___sysctl(mib, 2, old, oldlen, new, newlen);
}

/*
 * An int node's value; -1000-errno on failure, -2000-len if the size is
 * not 4.
 */
H_UNUSED static long long
h_sysctl_int(int a, int b)
{
	int v = -12345;
	size_t len = sizeof(v);

	if (h_sysctl2(a, b, &v, &len, NULL, 0) != 0)
		return -1000 - errno;
	if (len != sizeof(int))
		return -2000 - (long long)len;
	return v;
}

/* A 64-bit node's value; -1000-errno on failure, -2000-len if not 8 bytes. */
H_UNUSED static long long
h_sysctl_quad(int a, int b)
{
	int64_t v = -12345;
	size_t len = sizeof(v);

	if (h_sysctl2(a, b, &v, &len, NULL, 0) != 0)
		return -1000 - errno;
	if (len != sizeof(v))
		return -2000 - (long long)len;
	return v;
}

/* A string node into buf (cap bytes); the string, or "<errno N>" */
H_UNUSED static const char *
h_sysctl_str(int a, int b, char *buf, size_t cap)
{
	size_t len = cap - 1;

	memset(buf, 0, cap);
	if (h_sysctl2(a, b, buf, &len, NULL, 0) != 0)
		snprintf(buf, cap, "<errno %d>", errno);
	return buf;
}

/* nanoseconds between two NetBSD timespecs (b - a) */
H_UNUSED static long long
h_ts_diff_ns(const struct rump_timespec *a, const struct rump_timespec *b)
{
	return (long long)(b->tv_sec - a->tv_sec) * 1000000000LL +
	    (b->tv_nsec - a->tv_nsec);
}

#endif /* CONFORMANCE_HARNESS_H */
