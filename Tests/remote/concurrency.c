/*
 * concurrency: 64 clients at once.  64 host processes, forked before any
 * of them connects, each become a rump process and, released together, make
 * 1000 system calls on a file of their own (lseek, write, pread, getpid in
 * turn), checking every result and every byte read back.  All must pass,
 * the 64 pids must differ, and once they have disconnected none of their
 * processes is left (kill(pid, 0) gives ESRCH 3).
 */
#include "remote.h"

#define NCLIENTS	64
#define NCALLS		1000
#define RECLEN		32
#define NSLOTS		16

/* The record client c writes in round r. */
static void
record(int c, int r, char out[RECLEN])
{
	int i, n;

	n = snprintf(out, RECLEN, "client %02d round %03d ", c, r);
	for (i = n; i < RECLEN; i++)
		out[i] = (char)('a' + (c * 7 + r + i) % 26);
}

/* One client: returns 0, or the number of the call that went wrong. */
static int
client(int c, int ready, int go)
{
	char path[64], rec[RECLEN], back[RECLEN], byte;
	struct rump_stat sb;
	pid_t pid;
	int fd, k, call = 0;
	off_t off = 0;

	if (rumpclient_init() != 0) {
		pid = -1;
		r_writen(ready, &pid, sizeof(pid));
		fprintf(stderr, "client %d: rumpclient_init: errno %d\n", c, errno);
		return -1;
	}
	pid = rump_sys_getpid();
	r_writen(ready, &pid, sizeof(pid));
	/* Everyone starts when the parent closes the go pipe. */
	if (read(go, &byte, 1) < 0)
		return -5;

	snprintf(path, sizeof(path), "/tmp/conc.%d.%d", (int)getppid(), c);
	fd = rump_sys_open(path, RUMP_O_RDWR | RUMP_O_CREAT | RUMP_O_TRUNC, 0600);
	if (fd < 0) {
		fprintf(stderr, "client %d: open %s: errno %d\n", c, path, errno);
		return -2;
	}
	for (k = 0; k < NCALLS; k++) {
		int r = k / 4;
		long long got = 0, want = 0;

		call = k + 1;
		switch (k % 4) {
		case 0:
			off = (off_t)(r % NSLOTS) * RECLEN;
			got = rump_sys_lseek(fd, off, RUMP_SEEK_SET);
			want = off;
			break;
		case 1:
			record(c, r, rec);
			got = rump_sys_write(fd, rec, RECLEN);
			want = RECLEN;
			break;
		case 2:
			memset(back, 0, sizeof(back));
			got = rump_sys_pread(fd, back, RECLEN, off);
			want = RECLEN;
			if (got == want && memcmp(back, rec, RECLEN) != 0) {
				fprintf(stderr, "client %d: call %d: pread "
				    "returned another record: %.32s\n", c, call,
				    back);
				return call;
			}
			break;
		case 3:
			got = rump_sys_getpid();
			want = pid;
			break;
		}
		if (got != want) {
			fprintf(stderr, "client %d: call %d (op %d): got %lld "
			    "want %lld (errno %d)\n", c, call, k % 4, got, want,
			    errno);
			return call;
		}
	}
	if (r_fstat(fd, &sb) != 0 || sb.st_size != NSLOTS * RECLEN) {
		fprintf(stderr, "client %d: final size %lld want %d\n", c,
		    (long long)sb.st_size, NSLOTS * RECLEN);
		return -3;
	}
	rump_sys_close(fd);
	if (rump_sys_unlink(path) != 0) {
		fprintf(stderr, "client %d: unlink: errno %d\n", c, errno);
		return -4;
	}
	return 0;
}

int
main(void)
{
	pid_t host[NCLIENTS], rpid[NCLIENTS];
	int ready[2], go[2], i, j, connected = 0, distinct = 1, passed = 0;
	int gone = 0;
	double t0, t1;
	const char *how;

	h_begin("remote-concurrency");
	REQUIRE("pipes", pipe(ready) == 0 && pipe(go) == 0);
	fflush(stdout);
	for (i = 0; i < NCLIENTS; i++) {
		host[i] = fork();
		if (host[i] == 0) {
			close(ready[0]);
			close(go[1]);
			_exit(client(i, ready[1], go[0]) == 0 ? 0 : 1);
		}
		REQUIRE(H_WHAT("fork client %d", i), host[i] > 0);
	}
	close(ready[1]);
	close(go[0]);

	/* Reports arrive in any order; pids are what matters. */
	for (i = 0; i < NCLIENTS; i++) {
		rpid[i] = -1;
		if (r_readn(ready[0], &rpid[i], sizeof(rpid[i])) != 0)
			break;
		if (rpid[i] >= 2)
			connected++;
	}
	CHECK_EQ("all 64 clients connect and get a pid >= 2", connected,
	    NCLIENTS);
	for (i = 0; i < NCLIENTS; i++)
		for (j = i + 1; j < NCLIENTS; j++)
			if (rpid[i] == rpid[j])
				distinct = 0;
	CHECK_TRUE("the 64 clients have 64 different pids", distinct);

	t0 = h_mono();
	close(go[1]);
	for (i = 0; i < NCLIENTS; i++)
		if (r_wait(host[i], &how) == 0)
			passed++;
	t1 = h_mono();
	CHECK_EQ("all 64 clients make 1000 calls each with correct results",
	    passed, NCLIENTS);
	h_note("64 x 1000 calls took %.3f s (%.0f calls/s)", t1 - t0,
	    NCLIENTS * NCALLS / (t1 - t0));

	/* Their processes end with their connections. */
	R_CONNECT();
	for (i = 0; i < NCLIENTS; i++) {
		double deadline = h_mono() + 10;

		if (rpid[i] < 2)
			continue;
		while (rump_sys_kill(rpid[i], 0) == 0 && h_mono() < deadline)
			usleep(10000);
		if (errno == 3)
			gone++;
	}
	CHECK_EQ("after they disconnect, kill(pid, 0) gives ESRCH (3) for all 64",
	    gone, NCLIENTS);
	return h_end();
}
