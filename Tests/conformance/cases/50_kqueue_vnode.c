/* libs: -lrumpvfs -lrump -lrumpuser */
/*
 * 50_kqueue_vnode: kqueue's EVFILT_VNODE on rumpfs files, and EVFILT_READ
 * and EVFILT_WRITE on regular files (NetBSD's VN_KNOTE hints and genfs
 * filters).  NOTE_DELETE 1, NOTE_WRITE 2, NOTE_EXTEND 4, NOTE_ATTRIB 8,
 * NOTE_LINK 0x10, NOTE_RENAME 0x20: a write posts NOTE_WRITE (with
 * NOTE_EXTEND when the file grew), a size change NOTE_ATTRIB (with
 * NOTE_EXTEND when it grew), chmod/chown/utimes NOTE_ATTRIB, link and the
 * removal of a name that is not the last NOTE_LINK, the removal of the
 * last NOTE_DELETE, rename NOTE_RENAME on the file; a directory gets
 * NOTE_WRITE when an entry comes or goes (NOTE_LINK too for a
 * subdirectory).  An event's fflags are the notes asked for that happened
 * since the last report; with EV_CLEAR they are reset on report, without
 * it they stay.  A regular file is readable while its descriptor's offset
 * is short of the end (data: the bytes left) and always writable (data 0).
 */
#include "../harness.h"

#include "../kqueue.h"

/* poll the kqueue once; the number of events, the first in *ev */
H_UNUSED static int
peek(int kq, struct nb_kevent *ev)
{
	memset(ev, 0, sizeof(*ev));
	return kev(kq, NULL, 0, ev, 1, 0);
}

#define NB_EVFILT_VNODE	3
#define NOTE_DELETE	0x01
#define NOTE_WRITE	0x02
#define NOTE_EXTEND	0x04
#define NOTE_ATTRIB	0x08
#define NOTE_LINK	0x10
#define NOTE_RENAME	0x20
#define NOTE_ALL	0x3f

/* watch fd for `notes` with flags (EV_ADD|...) */
static int
watch(int kq, int fd, uint32_t flags, uint32_t notes)
{
	struct nb_kevent k = kv(fd, NB_EVFILT_VNODE, flags, notes, 0, 0);

	return kev(kq, &k, 1, NULL, 0, 0);
}

/* poll once: the fflags of the one event, 0 if none, -1 if more */
static long long
notes_now(int kq)
{
	struct nb_kevent ev[2];
	int n;

	memset(ev, 0, sizeof(ev));
	n = kev(kq, NULL, 0, ev, 2, 0);
	if (n == 0)
		return 0;
	if (n != 1 || ev[0].filter != NB_EVFILT_VNODE)
		return -1000 - n;
	return ev[0].fflags;
}

struct writer {
	int fd;
	int delay_ms;
};

static void *
write_later(void *v)
{
	struct writer *w = v;

	usleep(w->delay_ms * 1000);
	rump_sys_write(w->fd, "later", 5);
	return NULL;
}

int
main(int argc, char **argv)
{
	struct nb_kevent ev[4];
	struct writer w;
	pthread_t t;
	int kq, fd, fd2, dfd, p[2], n;
	double t0, dt;

	(void)argc;
	(void)argv;
	h_begin("50_kqueue_vnode");
	H_BOOT();

	kq = rump_sys_kqueue();
	REQUIRE("a kqueue", kq >= 0);
	fd = rump_sys_open("/kqfile", RUMP_O_RDWR | RUMP_O_CREAT, 0644);
	REQUIRE("create /kqfile", fd >= 0);

	/* ---- EVFILT_VNODE with EV_CLEAR ---- */
	CHECK_EQ("EV_ADD|EV_CLEAR EVFILT_VNODE for every note", watch(kq, fd,
	    NB_EV_ADD | NB_EV_CLEAR, NOTE_ALL), 0);
	CHECK_EQ("nothing happened yet", notes_now(kq), 0);
	CHECK_EQ("write 10 bytes", rump_sys_write(fd, "0123456789", 10), 10);
	CHECK_EQ("NOTE_WRITE|NOTE_EXTEND", notes_now(kq), NOTE_WRITE | NOTE_EXTEND);
	CHECK_EQ("... reported once (EV_CLEAR)", notes_now(kq), 0);
	CHECK_EQ("pwrite 2 bytes at 0", rump_sys_pwrite(fd, "ab", 2, 0), 2);
	CHECK_EQ("an overwrite: NOTE_WRITE alone", notes_now(kq), NOTE_WRITE);
	CHECK_EQ("two writes, one growing, before looking", rump_sys_pwrite(fd, "cd", 2, 0) +
	    rump_sys_pwrite(fd, "ef", 2, 10), 4);
	CHECK_EQ("... the notes accumulate: NOTE_WRITE|NOTE_EXTEND", notes_now(kq),
	    NOTE_WRITE | NOTE_EXTEND);
	CHECK_EQ("fchmod", rump_sys_fchmod(fd, 0600), 0);
	CHECK_EQ("NOTE_ATTRIB", notes_now(kq), NOTE_ATTRIB);
	CHECK_EQ("ftruncate to 100 (grow)", rump_sys_ftruncate(fd, 100), 0);
	CHECK_EQ("NOTE_ATTRIB|NOTE_EXTEND", notes_now(kq), NOTE_ATTRIB | NOTE_EXTEND);
	CHECK_EQ("ftruncate to 4 (shrink)", rump_sys_ftruncate(fd, 4), 0);
	CHECK_EQ("NOTE_ATTRIB", notes_now(kq), NOTE_ATTRIB);
	CHECK_EQ("link /kqfile /kqlink", rump_sys_link("/kqfile", "/kqlink"), 0);
	CHECK_EQ("NOTE_LINK", notes_now(kq), NOTE_LINK);
	CHECK_EQ("rename /kqfile /kqmoved", rump_sys_rename("/kqfile", "/kqmoved"), 0);
	CHECK_EQ("NOTE_RENAME", notes_now(kq), NOTE_RENAME);
	CHECK_EQ("unlink /kqlink (one name left)", rump_sys_unlink("/kqlink"), 0);
	CHECK_EQ("NOTE_LINK (the link count changed)", notes_now(kq), NOTE_LINK);
	CHECK_EQ("unlink /kqmoved (the last name)", rump_sys_unlink("/kqmoved"), 0);
	memset(ev, 0, sizeof(ev));
	CHECK_EQ("NOTE_DELETE: one event", kev(kq, NULL, 0, ev, 4, 0), 1);
	CHECK_EQ("... fflags NOTE_DELETE", ev[0].fflags, NOTE_DELETE);
	CHECK_EQ("... ident: the descriptor", ev[0].ident, fd);
	CHECK_EQ("... filter EVFILT_VNODE", ev[0].filter, NB_EVFILT_VNODE);
	CHECK_EQ("... flags EV_ADD|EV_CLEAR", ev[0].flags, NB_EV_ADD | NB_EV_CLEAR);
	CHECK_EQ("... data 0", ev[0].data, 0);
	CHECK_EQ("close the deleted file: its knote goes", rump_sys_close(fd), 0);
	CHECK_EQ("nothing pending", kev(kq, NULL, 0, ev, 4, 0), 0);

	/* ---- only the notes asked for; without EV_CLEAR ---- */
	fd = rump_sys_open("/kq2", RUMP_O_RDWR | RUMP_O_CREAT, 0644);
	REQUIRE("create /kq2", fd >= 0);
	CHECK_EQ("EV_ADD EVFILT_VNODE for NOTE_DELETE|NOTE_ATTRIB only", watch(kq, fd, NB_EV_ADD,
	    NOTE_DELETE | NOTE_ATTRIB), 0);
	CHECK_EQ("write", rump_sys_write(fd, "x", 1), 1);
	CHECK_EQ("a write is not asked for: nothing", notes_now(kq), 0);
	CHECK_EQ("fchmod", rump_sys_fchmod(fd, 0640), 0);
	CHECK_EQ("NOTE_ATTRIB", notes_now(kq), NOTE_ATTRIB);
	CHECK_EQ("without EV_CLEAR the note stays reported", notes_now(kq), NOTE_ATTRIB);
	CHECK_EQ("EV_DELETE the knote", watch(kq, fd, NB_EV_DELETE, 0), 0);
	CHECK_EQ("... nothing", notes_now(kq), 0);
	CHECK_ERR("EV_DELETE again: ENOENT", watch(kq, fd, NB_EV_DELETE, 0), RUMP_ENOENT);
	CHECK_EQ("EV_ADD|EV_ONESHOT for NOTE_WRITE", watch(kq, fd, NB_EV_ADD | NB_EV_ONESHOT,
	    NOTE_WRITE), 0);
	rump_sys_write(fd, "y", 1);
	CHECK_EQ("a write: NOTE_WRITE", notes_now(kq), NOTE_WRITE);
	rump_sys_write(fd, "z", 1);
	CHECK_EQ("EV_ONESHOT: the next write reports nothing", notes_now(kq), 0);

	/* ---- EVFILT_READ and EVFILT_WRITE on a regular file ---- */
	CHECK_EQ("EV_ADD EVFILT_READ on /kq2 (offset at its end, 3)",
	    change(kq, fd, NB_EVFILT_READ, NB_EV_ADD, 0), 0);
	CHECK_EQ("at the end: not readable", kev(kq, NULL, 0, ev, 4, 0), 0);
	CHECK_EQ("lseek to 1", rump_sys_lseek(fd, 1, 0), 1);
	CHECK_EQ("readable with data 2 (bytes from the offset to the end)",
	    kev(kq, NULL, 0, ev, 4, 0) == 1 ? ev[0].data : -1, 2);
	fd2 = rump_sys_open("/kq2", RUMP_O_RDONLY, 0);
	CHECK_EQ("EV_ADD EVFILT_READ on another descriptor of it at offset 0",
	    change(kq, fd2, NB_EVFILT_READ, NB_EV_ADD, 0), 0);
	n = kev(kq, NULL, 0, ev, 4, 0);
	CHECK_EQ("two events", n, 2);
	CHECK_EQ("... the second with data 3", ev[1].ident == (uintptr_t)fd2 ? ev[1].data : -1, 3);
	CHECK_EQ("EV_DELETE both read filters", change(kq, fd, NB_EVFILT_READ, NB_EV_DELETE, 0) |
	    change(kq, fd2, NB_EVFILT_READ, NB_EV_DELETE, 0), 0);
	CHECK_EQ("EV_ADD EVFILT_WRITE on /kq2", change(kq, fd, NB_EVFILT_WRITE, NB_EV_ADD, 0), 0);
	CHECK_EQ("a regular file is always writable, data 0",
	    kev(kq, NULL, 0, ev, 4, 0) == 1 ? ev[0].data : -1, 0);
	CHECK_EQ("EV_DELETE it", change(kq, fd, NB_EVFILT_WRITE, NB_EV_DELETE, 0), 0);

	/* ---- a sleeper is woken by a write ---- */
	CHECK_EQ("EV_ADD|EV_CLEAR EVFILT_VNODE NOTE_WRITE on /kq2",
	    watch(kq, fd2, NB_EV_ADD | NB_EV_CLEAR, NOTE_WRITE), 0);
	w.fd = fd;
	w.delay_ms = 60;
	pthread_create(&t, NULL, write_later, &w);
	t0 = h_mono();
	memset(ev, 0, sizeof(ev));
	n = kev(kq, NULL, 0, ev, 4, -1);
	dt = h_mono() - t0;
	pthread_join(t, NULL);
	CHECK_EQ("kevent with no timeout returns when another thread writes", n, 1);
	CHECK_EQ("... NOTE_WRITE", ev[0].fflags, NOTE_WRITE);
	CHECK_RANGE("... after about 60 ms", (long long)(dt * 1000), 50, 2000);
	rump_sys_close(fd);
	rump_sys_close(fd2);
	CHECK_EQ("both descriptors closed: nothing pending", kev(kq, NULL, 0, ev, 4, 0), 0);

	/* ---- a directory ---- */
	REQUIRE("mkdir /kqdir", rump_sys_mkdir("/kqdir", 0755) == 0);
	dfd = rump_sys_open("/kqdir", RUMP_O_RDONLY, 0);
	REQUIRE("open /kqdir", dfd >= 0);
	CHECK_EQ("EV_ADD|EV_CLEAR EVFILT_VNODE on the directory", watch(kq, dfd,
	    NB_EV_ADD | NB_EV_CLEAR, NOTE_ALL), 0);
	fd = rump_sys_open("/kqdir/f", RUMP_O_RDWR | RUMP_O_CREAT, 0644);
	CHECK_GE("create /kqdir/f", fd, 0);
	CHECK_EQ("a new entry: NOTE_WRITE", notes_now(kq), NOTE_WRITE);
	CHECK_EQ("mkdir /kqdir/sub", rump_sys_mkdir("/kqdir/sub", 0755), 0);
	CHECK_EQ("a new subdirectory: NOTE_WRITE|NOTE_LINK", notes_now(kq), NOTE_WRITE | NOTE_LINK);
	CHECK_EQ("unlink /kqdir/f", rump_sys_unlink("/kqdir/f"), 0);
	CHECK_EQ("an entry removed: NOTE_WRITE", notes_now(kq), NOTE_WRITE);
	rump_sys_close(fd);
	rump_sys_close(dfd);

	/* ---- EVFILT_VNODE on what is not a vnode ---- */
	REQUIRE("a pipe", rump_sys_pipe(p) == 0);
	CHECK_ERR("EVFILT_VNODE on a pipe: EINVAL", watch(kq, p[0], NB_EV_ADD, NOTE_WRITE),
	    RUMP_EINVAL);
	CHECK_ERR("EVFILT_VNODE on a closed descriptor: EBADF", watch(kq, 77, NB_EV_ADD, NOTE_WRITE),
	    RUMP_EBADF);
	return h_end();
}
