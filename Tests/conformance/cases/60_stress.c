/* libs: -lrumpnet_local -lrumpnet_net -lrumpnet -lrumpvfs -lrump -lrumpuser */
/*
 * 60_stress: 8 host threads in 4 rump processes exchange 64 MiB through two
 * pipes and two stream socket pairs, every byte checked, in fresh kernels
 * with RUMP_NCPU=1, 2 and 4.  Each process owns one channel: a writer lwp
 * and a reader lwp (rfork, then newlwp in the same process), so every
 * blocking read and write must give its virtual CPU back or RUMP_NCPU=1
 * would deadlock.
 */
#include "../harness.h"

#include <pthread.h>

#define CHANNELS	4
#define PER_CHANNEL	(16L << 20)	/* 4 x 16 MiB = 64 MiB */
#define CHUNK		(64 * 1024)

struct channel {
	int id, rfd, wfd;
	pid_t pid;
	long written, read, errors, wrong;
	pthread_barrier_t *ready;
};

/* The byte at offset `off` of channel `id`. */
static unsigned char
pattern(int id, long off)
{
	return (unsigned char)((off * 131 + (off >> 12) * 7 + id * 29) & 0xff);
}

static void *
writer(void *arg)
{
	struct channel *c = arg;
	unsigned char *buf = malloc(CHUNK);
	long off = 0, i;

	if (rump_pub_lwproc_newlwp(c->pid) != 0) {
		c->errors++;
		free(buf);
		return NULL;
	}
	pthread_barrier_wait(c->ready);
	while (off < PER_CHANNEL) {
		long n = PER_CHANNEL - off < CHUNK ? PER_CHANNEL - off : CHUNK;
		ssize_t w;

		for (i = 0; i < n; i++)
			buf[i] = pattern(c->id, off + i);
		w = rump_sys_write(c->wfd, buf, (size_t)n);
		if (w <= 0) {
			c->errors++;
			break;
		}
		off += w;	/* a short write resumes at the right offset */
	}
	c->written = off;
	rump_sys_close(c->wfd);
	rump_pub_lwproc_releaselwp();
	free(buf);
	return NULL;
}

static void *
reader(void *arg)
{
	struct channel *c = arg;
	unsigned char *buf = malloc(CHUNK);
	long off = 0, i;

	if (rump_pub_lwproc_newlwp(c->pid) != 0) {
		c->errors++;
		free(buf);
		return NULL;
	}
	pthread_barrier_wait(c->ready);
	for (;;) {
		ssize_t r = rump_sys_read(c->rfd, buf, CHUNK);

		if (r == 0)
			break;
		if (r < 0) {
			c->errors++;
			break;
		}
		for (i = 0; i < r; i++)
			if (buf[i] != pattern(c->id, off + i))
				c->wrong++;
		off += r;
	}
	c->read = off;
	rump_pub_lwproc_releaselwp();
	free(buf);
	return NULL;
}

/* In a fresh process: the whole exchange; reports "@bytes N" etc. */
static int
sub_main(void)
{
	struct channel ch[CHANNELS];
	pthread_t t[2 * CHANNELS];
	pthread_barrier_t ready;
	long total = 0, errors = 0, wrong = 0;
	int k, fds[2];
	double t0;

	if (rump_init() != 0)
		return 3;
	pthread_barrier_init(&ready, NULL, 2 * CHANNELS);
	for (k = 0; k < CHANNELS; k++) {
		ch[k].id = k;
		ch[k].written = ch[k].read = ch[k].errors = ch[k].wrong = 0;
		ch[k].ready = &ready;
		if (rump_pub_lwproc_rfork(RUMP_RFCFDG) != 0)
			return 4;
		ch[k].pid = rump_sys_getpid();
		if (k % 2 == 0 ? rump_sys_pipe(fds) != 0 :
		    rump_sys_socketpair(RUMP_AF_LOCAL, RUMP_SOCK_STREAM, 0, fds) != 0)
			return 5;
		ch[k].rfd = fds[0];
		ch[k].wfd = fds[1];
		/* The process lives on in its two worker lwps. */
		rump_pub_lwproc_switch(NULL);
	}
	t0 = h_mono();
	for (k = 0; k < CHANNELS; k++) {
		pthread_create(&t[2 * k], NULL, writer, &ch[k]);
		pthread_create(&t[2 * k + 1], NULL, reader, &ch[k]);
	}
	for (k = 0; k < 2 * CHANNELS; k++)
		pthread_join(t[k], NULL);
	for (k = 0; k < CHANNELS; k++) {
		total += ch[k].read;
		errors += ch[k].errors + (ch[k].written != PER_CHANNEL);
		wrong += ch[k].wrong;
	}
	h_report("bytes", total, 0);
	h_report("wrong", wrong, 0);
	h_report("errors", errors, 0);
	h_report("ms", (long long)((h_mono() - t0) * 1000), 0);
	return 0;
}

int
main(int argc, char **argv)
{
	static const char *const ncpus[] = { "RUMP_NCPU=1", "RUMP_NCPU=2", "RUMP_NCPU=4" };
	struct h_sub r;
	long long ms, unused;
	size_t i;

	if (H_IS_SUB(argc, argv))
		return sub_main();
	h_begin("60_stress");
	for (i = 0; i < sizeof(ncpus) / sizeof(ncpus[0]); i++) {
		const char *env[] = { ncpus[i], NULL };

		h_run_sub("stress", env, 120, &r);
		CHECK_SUB_EXIT(H_WHAT("%s: 8 threads in 4 processes: the sub-process exits 0",
		    ncpus[i]), &r, 0);
		h_check_sub_val(H_WHAT("%s: 67108864 bytes arrive", ncpus[i]), &r, "bytes",
		    4 * PER_CHANNEL, 0);
		h_check_sub_val(H_WHAT("%s: no byte is wrong", ncpus[i]), &r, "wrong", 0, 0);
		h_check_sub_val(H_WHAT("%s: no call failed, every writer wrote 16 MiB", ncpus[i]),
		    &r, "errors", 0, 0);
		if (h_sub_val(&r, "ms", &ms, &unused) > 0)
			h_note("%s: 64 MiB in %lld ms", ncpus[i], ms);
	}
	return h_end();
}
