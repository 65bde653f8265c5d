/* libs: -lrumpvfs -lrump -lrumpuser */
/*
 * 24_fifo: named pipes made by mkfifo behave as pipes (NetBSD's fifofs):
 * a non-blocking reader opens at once, a non-blocking writer with no reader
 * gets ENXIO (6), a blocking open waits for the other side, data flows in
 * order, EOF follows the last writer's close, fstat reports the node
 * (S_IFIFO, its own mode), a read-write open never waits, and a FIFO nobody
 * has open keeps no data.
 */
#include "../harness.h"

#include <pthread.h>

static void *
blocking_writer(void *arg)
{
	int fd;

	(void)arg;
	fd = rump_sys_open("/tmp/f2", RUMP_O_WRONLY);	/* waits for the reader */
	if (fd >= 0) {
		rump_sys_write(fd, "through", 7);
		rump_sys_close(fd);
	}
	return NULL;
}

int
main(void)
{
	struct rump_stat st;
	char buf[64];
	struct rump_pollfd pfd;
	pthread_t t;
	int r, w, rw, n;

	h_begin("24_fifo");
	H_BOOT();
	rump_sys_umask(022);

	CHECK_EQ("mkfifo /tmp/f 0666", rump_sys_mkfifo("/tmp/f", 0666), 0);
	CHECK_ERR("mkfifo again: EEXIST", rump_sys_mkfifo("/tmp/f", 0666), RUMP_EEXIST);
	CHECK_EQ("stat: S_IFIFO", rump_sys_stat("/tmp/f", (void *)&st) == 0 &&
	    (st.st_mode & 0170000) == 0010000, 1);
	CHECK_EQ("... mode 0644 after the umask", st.st_mode & 0777, 0644);

	CHECK_ERR("a non-blocking writer with no reader: ENXIO",
	    rump_sys_open("/tmp/f", RUMP_O_WRONLY | RUMP_O_NONBLOCK), RUMP_ENXIO);
	r = rump_sys_open("/tmp/f", RUMP_O_RDONLY | RUMP_O_NONBLOCK);
	CHECK_GE("a non-blocking reader opens at once", r, 0);
	CHECK_ERR("... and reads EAGAIN before any writer exists? no: 0 (no writer = EOF)",
	    rump_sys_read(r, buf, sizeof(buf)) == 0 ? -1 : 0, 0);
	w = rump_sys_open("/tmp/f", RUMP_O_WRONLY | RUMP_O_NONBLOCK);
	CHECK_GE("with a reader, a non-blocking writer opens", w, 0);
	CHECK_EQ("write 5 bytes", rump_sys_write(w, "hello", 5), 5);
	CHECK_EQ("fstat of the write end is the node: S_IFIFO",
	    rump_sys_fstat(w, (void *)&st) == 0 && (st.st_mode & 0170000) == 0010000, 1);
	CHECK_EQ("... with the node's inode number", st.st_ino != 0, 1);
	memset(&pfd, 0, sizeof(pfd));
	pfd.fd = r;
	pfd.events = RUMP_POLLIN;
	CHECK_EQ("poll: the read end is readable", rump_sys_poll((void *)&pfd, 1, 0), 1);
	n = (int)rump_sys_read(r, buf, sizeof(buf));
	CHECK_EQ("read 5 bytes", n, 5);
	CHECK_MEM("... \"hello\"", buf, "hello", 5);
	CHECK_ERR("an empty FIFO with a writer: EAGAIN (35)", rump_sys_read(r, buf, 1), RUMP_EAGAIN);
	CHECK_EQ("close the writer", rump_sys_close(w), 0);
	CHECK_EQ("then read gives EOF (0)", rump_sys_read(r, buf, 1), 0);

	w = rump_sys_open("/tmp/f", RUMP_O_WRONLY | RUMP_O_NONBLOCK);
	CHECK_EQ("write 3 bytes again", rump_sys_write(w, "abc", 3), 3);
	rump_sys_close(w);
	rump_sys_close(r);
	r = rump_sys_open("/tmp/f", RUMP_O_RDONLY | RUMP_O_NONBLOCK);
	CHECK_EQ("after everyone closed, the FIFO is empty (EOF)", rump_sys_read(r, buf, 3), 0);
	rump_sys_close(r);

	rw = rump_sys_open("/tmp/f", RUMP_O_RDWR);
	CHECK_GE("a read-write open never waits", rw, 0);
	CHECK_EQ("... write through it", rump_sys_write(rw, "xy", 2), 2);
	CHECK_EQ("... and read it back", rump_sys_read(rw, buf, 2), 2);
	CHECK_MEM("... \"xy\"", buf, "xy", 2);
	rump_sys_close(rw);

	CHECK_EQ("mkfifo /tmp/f2", rump_sys_mkfifo("/tmp/f2", 0600), 0);
	REQUIRE("start a writer thread that opens without O_NONBLOCK",
	    pthread_create(&t, NULL, blocking_writer, NULL) == 0);
	r = rump_sys_open("/tmp/f2", RUMP_O_RDONLY);	/* waits for the writer */
	CHECK_GE("a blocking reader opens once the writer comes", r, 0);
	n = 0;
	while (n < 7) {
		ssize_t k = rump_sys_read(r, buf + n, sizeof(buf) - (size_t)n);

		if (k <= 0)
			break;
		n += (int)k;
	}
	CHECK_EQ("the writer's 7 bytes arrive", n, 7);
	CHECK_MEM("... \"through\"", buf, "through", 7);
	pthread_join(t, NULL);
	CHECK_EQ("EOF after the writer closed", rump_sys_read(r, buf, 1), 0);
	rump_sys_close(r);

	CHECK_EQ("unlink the FIFO", rump_sys_unlink("/tmp/f"), 0);
	return h_end();
}
