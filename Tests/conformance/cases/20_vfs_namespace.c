/* libs: -lrumpvfs -lrump -lrumpuser */
/*
 * 20_vfs_namespace: the root file system (rumpfs) and name lookup.
 * /dev and /tmp (01777) exist at boot; /dev/null and /dev/zero work.
 * mkdir/rmdir/unlink/rename/link/symlink/readlink/getdents/chdir/__getcwd/
 * chroot and the *at forms, with NetBSD's errno values: EEXIST 17,
 * ENOENT 2, ENOTDIR 20, EISDIR 21, EINVAL 22, ENOTEMPTY 66, ELOOP 62 (after
 * 32 symlinks), ENAMETOOLONG 63 (MAXPATHLEN 1024, NAME_MAX 511), EFTYPE 79
 * (O_NOFOLLOW on a symlink), EPERM 1 (unlink of a directory), EXDEV 18.
 */
#include "../harness.h"

static int
st(const char *p, struct rump_stat *sb)
{
	return rump_sys_stat(p, (struct stat *)(void *)sb);
}

static int
lst(const char *p, struct rump_stat *sb)
{
	return rump_sys_lstat(p, (struct stat *)(void *)sb);
}

static int
put(const char *p, const char *data)
{
	int fd = rump_sys_open(p, RUMP_O_WRONLY | RUMP_O_CREAT | RUMP_O_TRUNC, 0644);
	if (fd < 0)
		return -1;
	rump_sys_write(fd, data, strlen(data));
	return rump_sys_close(fd);
}

static ssize_t
get(const char *p, char *buf, size_t cap)
{
	int fd = rump_sys_open(p, RUMP_O_RDONLY);
	ssize_t n;
	if (fd < 0)
		return -1;
	memset(buf, 0, cap);
	n = rump_sys_read(fd, buf, cap - 1);
	rump_sys_close(fd);
	return n;
}

/* names in a directory, sorted, comma separated; "." and ".." left out */
static int
list(const char *p, char *out, size_t cap)
{
	char buf[8192], names[256][64];
	int fd, n, i, k, count = 0;

	fd = rump_sys_open(p, RUMP_O_RDONLY | RUMP_O_DIRECTORY);
	if (fd < 0)
		return -1;
	while ((n = rump_sys_getdents(fd, buf, sizeof(buf))) > 0) {
		for (i = 0; i < n;) {
			struct rump_dirent *d = (void *)(buf + i);
			if (strcmp(d->d_name, ".") && strcmp(d->d_name, "..") && count < 256)
				snprintf(names[count++], 64, "%.63s", d->d_name);
			i += d->d_reclen;
		}
	}
	rump_sys_close(fd);
	for (i = 0; i < count; i++)
		for (k = i + 1; k < count; k++)
			if (strcmp(names[i], names[k]) > 0) {
				char t[64];
				memcpy(t, names[i], 64);
				memcpy(names[i], names[k], 64);
				memcpy(names[k], t, 64);
			}
	out[0] = 0;
	for (i = 0; i < count; i++) {
		if (i)
			strncat(out, ",", cap - strlen(out) - 1);
		strncat(out, names[i], cap - strlen(out) - 1);
	}
	return n < 0 ? -1 : count;
}

int
main(void)
{
	struct rump_stat sb, sb2;
	char buf[2048], big[1100];
	int fd, dfd, i;

	h_begin("20_vfs_namespace");
	H_BOOT();

	/* boot state */
	CHECK_EQ("stat /", st("/", &sb), 0);
	CHECK_EQ("/ is a directory", sb.st_mode & RUMP_S_IFMT, RUMP_S_IFDIR);
	CHECK_EQ("stat /tmp", st("/tmp", &sb), 0);
	CHECK_EQ("/tmp mode 041777", sb.st_mode, 041777);
	CHECK_EQ("stat /dev", st("/dev", &sb), 0);
	CHECK_EQ("/dev is a directory", sb.st_mode & RUMP_S_IFMT, RUMP_S_IFDIR);
	CHECK_ERR("mkdir /tmp: EEXIST", rump_sys_mkdir("/tmp", 0777), RUMP_EEXIST);
	CHECK_EQ("stat /dev/null", st("/dev/null", &sb), 0);
	CHECK_EQ("/dev/null is S_IFCHR", sb.st_mode & RUMP_S_IFMT, RUMP_S_IFCHR);
	CHECK_EQ("/dev/null rdev makedev(2,2) = 0x202", sb.st_rdev, 0x202);
	fd = rump_sys_open("/dev/null", RUMP_O_RDWR);
	CHECK_EQ("first open returns 3", fd, 3);
	CHECK_EQ("write 5 to /dev/null", rump_sys_write(fd, "hello", 5), 5);
	CHECK_EQ("read /dev/null: EOF", rump_sys_read(fd, buf, 10), 0);
	rump_sys_close(fd);
	fd = rump_sys_open("/dev/zero", RUMP_O_RDONLY);
	memset(buf, 0x55, 100);
	CHECK_EQ("read 100 from /dev/zero", rump_sys_read(fd, buf, 100), 100);
	CHECK_TRUE("/dev/zero gives zeros", buf[0] == 0 && buf[99] == 0);
	rump_sys_close(fd);

	/* mkdir, nlink, rmdir */
	CHECK_EQ("mkdir /a", rump_sys_mkdir("/a", 0755), 0);
	CHECK_EQ("stat /a", st("/a", &sb), 0);
	CHECK_EQ("/a mode 040755", sb.st_mode, 040755);
	CHECK_EQ("/a st_nlink 2", sb.st_nlink, 2);
	CHECK_EQ("mkdir /a/b/ (trailing slash)", rump_sys_mkdir("/a/b/", 0700), 0);
	CHECK_EQ("stat /a", st("/a", &sb), 0);
	CHECK_EQ("/a st_nlink 3 with a subdirectory", sb.st_nlink, 3);
	CHECK_ERR("mkdir /a/b again: EEXIST", rump_sys_mkdir("/a/b", 0755), RUMP_EEXIST);
	CHECK_ERR("mkdir /nope/x: ENOENT", rump_sys_mkdir("/nope/x", 0755), RUMP_ENOENT);
	CHECK_EQ("put /a/f", put("/a/f", "data"), 0);
	CHECK_ERR("mkdir /a/f/x: ENOTDIR", rump_sys_mkdir("/a/f/x", 0755), RUMP_ENOTDIR);
	CHECK_ERR("stat /a/f/: ENOTDIR", st("/a/f/", &sb), RUMP_ENOTDIR);
	CHECK_ERR("rmdir /a: ENOTEMPTY (66)", rump_sys_rmdir("/a"), RUMP_ENOTEMPTY);
	CHECK_ERR("rmdir /a/f: ENOTDIR", rump_sys_rmdir("/a/f"), RUMP_ENOTDIR);
	CHECK_ERR("rmdir /a/b/.: EINVAL", rump_sys_rmdir("/a/b/."), RUMP_EINVAL);
	CHECK_ERR("unlink /a/b: EPERM", rump_sys_unlink("/a/b"), RUMP_EPERM);
	CHECK_ERR("open /a O_RDWR: EISDIR", rump_sys_open("/a", RUMP_O_RDWR), RUMP_EISDIR);
	CHECK_ERR("open /a/f O_DIRECTORY: ENOTDIR",
	    rump_sys_open("/a/f", RUMP_O_RDONLY | RUMP_O_DIRECTORY), RUMP_ENOTDIR);

	/* . and .. */
	CHECK_EQ("stat /a/b/../f", st("/a/b/../f", &sb), 0);
	CHECK_EQ("... size 4", sb.st_size, 4);
	CHECK_EQ("stat /../../a/./f", st("/../../a/./f", &sb), 0);
	CHECK_EQ("stat //a//f", st("//a//f", &sb2), 0);
	CHECK_EQ("same inode", sb.st_ino, sb2.st_ino);
	CHECK_ERR("stat of an empty path: ENOENT", st("", &sb), RUMP_ENOENT);

	/* getdents */
	CHECK_EQ("list /a", list("/a", buf, sizeof(buf)), 2);
	CHECK_STR("... b,f", buf, "b,f");
	{
		char dbuf[512];
		int n;
		struct rump_dirent *d;
		fd = rump_sys_open("/a", RUMP_O_RDONLY);
		n = rump_sys_getdents(fd, dbuf, sizeof(dbuf));
		CHECK_GE("getdents returns bytes", n, 16);
		d = (void *)dbuf;
		CHECK_EQ("first record reclen is a multiple of 8", d->d_reclen % 8, 0);
		CHECK_EQ("namlen matches the name", d->d_namlen, strlen(d->d_name));
		CHECK_EQ("lseek a directory back to 0", rump_sys_lseek(fd, 0, RUMP_SEEK_SET), 0);
		CHECK_ERR("getdents with a 4-byte buffer: EINVAL",
		    rump_sys_getdents(fd, dbuf, 4), RUMP_EINVAL);
		rump_sys_close(fd);
		/* listings follow changes made between them */
		CHECK_EQ("mkdir /g", rump_sys_mkdir("/g", 0755), 0);
		CHECK_EQ("create /g/one", rump_sys_close(rump_sys_open("/g/one", RUMP_O_CREAT | RUMP_O_WRONLY, 0644)), 0);
		CHECK_EQ("list /g", list("/g", buf, sizeof(buf)), 1);
		CHECK_STR("... one", buf, "one");
		CHECK_EQ("mkdir /g/two", rump_sys_mkdir("/g/two", 0755), 0);
		CHECK_EQ("list /g again", list("/g", buf, sizeof(buf)), 2);
		CHECK_STR("... one,two", buf, "one,two");
		CHECK_EQ("rename /g/one to /g/three", rump_sys_rename("/g/one", "/g/three"), 0);
		CHECK_EQ("list after rename", list("/g", buf, sizeof(buf)), 2);
		CHECK_STR("... three,two", buf, "three,two");
		/* one record per call (rumpfs lists no "." or ".."), then the end */
		{
			struct rump_stat s3, s2;
			char seen[8] = "";
			int calls = 0, t;
			CHECK_EQ("stat /g/three", st("/g/three", &s3), 0);
			CHECK_EQ("stat /g/two", st("/g/two", &s2), 0);
			fd = rump_sys_open("/g", RUMP_O_RDONLY);
			while ((n = rump_sys_getdents(fd, dbuf, 24)) > 0 && calls < 10) {
				d = (void *)dbuf;
				calls++;
				if (n != d->d_reclen)
					break;
				if (!strcmp(d->d_name, "three")) {
					strcat(seen, "3");
					t = d->d_fileno == (uint64_t)s3.st_ino && d->d_type == RUMP_DT_REG;
					CHECK_TRUE("three: its inode, DT_REG", t);
				} else if (!strcmp(d->d_name, "two")) {
					strcat(seen, "2");
					t = d->d_fileno == (uint64_t)s2.st_ino && d->d_type == RUMP_DT_DIR;
					CHECK_TRUE("two: its inode, DT_DIR", t);
				}
			}
			CHECK_EQ("a 24-byte buffer: one record per call", calls, 2);
			CHECK_EQ("then 0 at the end", n, 0);
			CHECK_EQ("both entries seen once", strlen(seen), 2);
			CHECK_EQ("unlink /g/three", rump_sys_unlink("/g/three"), 0);
			CHECK_EQ("lseek back to 0", rump_sys_lseek(fd, 0, RUMP_SEEK_SET), 0);
			for (calls = 0; (n = rump_sys_getdents(fd, dbuf, sizeof(dbuf))) > 0; )
				for (i = 0; i < n; i += ((struct rump_dirent *)(void *)(dbuf + i))->d_reclen)
					calls++;
			CHECK_EQ("the open descriptor lists 1 after the unlink", calls, 1);
			rump_sys_close(fd);
		}
		fd = rump_sys_open("/a/f", RUMP_O_RDONLY);
		CHECK_ERR("getdents on a file: ENOTDIR",
		    rump_sys_getdents(fd, dbuf, sizeof(dbuf)), RUMP_ENOTDIR);
		rump_sys_close(fd);
	}

	/* names too long */
	memset(big, 'x', sizeof(big));
	big[0] = '/';
	big[513] = 0;
	CHECK_ERR("a 512-byte component: ENAMETOOLONG (63)", st(big, &sb), RUMP_ENAMETOOLONG);
	big[512] = 0;
	CHECK_ERR("a 511-byte component is fine (ENOENT)", st(big, &sb), RUMP_ENOENT);
	for (i = 0; i < 1090; i += 2)
		big[i] = '/', big[i + 1] = 'c';
	big[1024] = 0;
	CHECK_ERR("a 1024-byte path: ENAMETOOLONG", st(big, &sb), RUMP_ENAMETOOLONG);
	big[1023] = 0;
	CHECK_ERR("a 1023-byte path is looked up (ENOENT)", st(big, &sb), RUMP_ENOENT);

	/* symlinks */
	CHECK_EQ("symlink f -> /a/l", rump_sys_symlink("f", "/a/l"), 0);
	CHECK_EQ("lstat /a/l", lst("/a/l", &sb), 0);
	CHECK_EQ("/a/l is S_IFLNK", sb.st_mode & RUMP_S_IFMT, RUMP_S_IFLNK);
	CHECK_EQ("/a/l size 1", sb.st_size, 1);
	CHECK_EQ("stat through /a/l", st("/a/l", &sb), 0);
	CHECK_EQ("... is the 4-byte file", sb.st_size, 4);
	memset(buf, 0, sizeof(buf));
	CHECK_EQ("readlink /a/l returns 1", rump_sys_readlink("/a/l", buf, sizeof(buf)), 1);
	CHECK_STR("... \"f\"", buf, "f");
	CHECK_ERR("readlink of a file: EINVAL", rump_sys_readlink("/a/f", buf, 10), RUMP_EINVAL);
	CHECK_ERR("symlink over an existing name: EEXIST",
	    rump_sys_symlink("x", "/a/f"), RUMP_EEXIST);
	CHECK_ERR("open(O_NOFOLLOW) of a symlink: EFTYPE (79)",
	    rump_sys_open("/a/l", RUMP_O_RDONLY | RUMP_O_NOFOLLOW), 79);
	CHECK_EQ("symlink /a/loop1 -> loop2", rump_sys_symlink("loop2", "/a/loop1"), 0);
	CHECK_EQ("symlink /a/loop2 -> loop1", rump_sys_symlink("loop1", "/a/loop2"), 0);
	CHECK_ERR("a symlink loop: ELOOP (62)", st("/a/loop1", &sb), RUMP_ELOOP);
	rump_sys_symlink("/a", "/s0");
	for (i = 1; i <= 33; i++) {
		char from[16], to[16];
		snprintf(from, sizeof(from), "/s%d", i - 1);
		snprintf(to, sizeof(to), "/s%d", i);
		rump_sys_symlink(from, to);
	}
	CHECK_EQ("a chain of 32 symlinks resolves", st("/s31/f", &sb), 0);
	CHECK_ERR("a chain of 33 symlinks: ELOOP", st("/s32/f", &sb), RUMP_ELOOP);
	CHECK_EQ("symlink to a directory, then a trailing slash", st("/s0/", &sb), 0);
	CHECK_EQ("... is the directory", sb.st_mode & RUMP_S_IFMT, RUMP_S_IFDIR);
	CHECK_EQ("dangling symlink /a/dang -> newfile", rump_sys_symlink("newfile", "/a/dang"), 0);
	fd = rump_sys_open("/a/dang", RUMP_O_RDWR | RUMP_O_CREAT, 0600);
	CHECK_GE("open(O_CREAT) through a dangling symlink creates the target", fd, 0);
	rump_sys_close(fd);
	CHECK_EQ("stat /a/newfile", st("/a/newfile", &sb), 0);

	/* hard links */
	CHECK_EQ("link /a/f /a/g", rump_sys_link("/a/f", "/a/g"), 0);
	CHECK_EQ("stat /a/f", st("/a/f", &sb), 0);
	CHECK_EQ("st_nlink 2", sb.st_nlink, 2);
	CHECK_EQ("stat /a/g", st("/a/g", &sb2), 0);
	CHECK_EQ("same inode", sb.st_ino, sb2.st_ino);
	CHECK_ERR("link to an existing name: EEXIST", rump_sys_link("/a/f", "/a/g"), RUMP_EEXIST);
	CHECK_ERR("link of a directory: EPERM", rump_sys_link("/a/b", "/a/bb"), RUMP_EPERM);
	CHECK_EQ("unlink /a/g", rump_sys_unlink("/a/g"), 0);
	CHECK_EQ("stat /a/f", st("/a/f", &sb), 0);
	CHECK_EQ("st_nlink 1", sb.st_nlink, 1);

	/* rename */
	CHECK_EQ("put /a/r1", put("/a/r1", "one"), 0);
	CHECK_EQ("put /a/r2", put("/a/r2", "two"), 0);
	CHECK_EQ("rename r1 over r2", rump_sys_rename("/a/r1", "/a/r2"), 0);
	CHECK_ERR("r1 is gone", st("/a/r1", &sb), RUMP_ENOENT);
	CHECK_EQ("r2 has r1's data (3 bytes)", get("/a/r2", buf, sizeof(buf)), 3);
	CHECK_STR("... \"one\"", buf, "one");
	CHECK_EQ("mkdir /a/d1", rump_sys_mkdir("/a/d1", 0755), 0);
	CHECK_EQ("mkdir /a/d2", rump_sys_mkdir("/a/d2", 0755), 0);
	CHECK_ERR("rename dir over a file: ENOTDIR", rump_sys_rename("/a/d1", "/a/r2"), RUMP_ENOTDIR);
	CHECK_ERR("rename file over a dir: EISDIR", rump_sys_rename("/a/r2", "/a/d1"), RUMP_EISDIR);
	CHECK_ERR("rename a dir into itself: EINVAL", rump_sys_rename("/a/d1", "/a/d1/x"), RUMP_EINVAL);
	CHECK_EQ("put /a/d2/x", put("/a/d2/x", "x"), 0);
	CHECK_ERR("rename over a non-empty dir: ENOTEMPTY",
	    rump_sys_rename("/a/d1", "/a/d2"), RUMP_ENOTEMPTY);
	CHECK_EQ("rename /a/d2 /d3 (another parent)", rump_sys_rename("/a/d2", "/d3"), 0);
	CHECK_EQ("stat /d3/x", st("/d3/x", &sb), 0);
	CHECK_EQ("rename dir over an empty dir", rump_sys_rename("/d3", "/a/d1"), 0);
	CHECK_EQ("stat /a/d1/x", st("/a/d1/x", &sb), 0);
	CHECK_ERR("rename of a missing name: ENOENT", rump_sys_rename("/a/zz", "/a/yy"), RUMP_ENOENT);
	CHECK_EQ("rename a file onto itself (hard link)", rump_sys_rename("/a/r2", "/a/r2"), 0);

	/* chdir, getcwd, *at */
	CHECK_EQ("chdir /a/d1", rump_sys_chdir("/a/d1"), 0);
	memset(buf, 0, sizeof(buf));
	CHECK_EQ("__getcwd returns strlen+1 (6)", rump_sys___getcwd(buf, sizeof(buf)), 6);
	CHECK_STR("... \"/a/d1\"", buf, "/a/d1");
	CHECK_ERR("__getcwd into 3 bytes: ERANGE", rump_sys___getcwd(buf, 3), RUMP_ERANGE);
	CHECK_EQ("stat x (relative)", st("x", &sb), 0);
	CHECK_EQ("stat ../f", st("../f", &sb), 0);
	CHECK_ERR("chdir to a file: ENOTDIR", rump_sys_chdir("/a/f"), RUMP_ENOTDIR);
	dfd = rump_sys_open("/a", RUMP_O_RDONLY | RUMP_O_DIRECTORY);
	CHECK_GE("open /a as a directory", dfd, 0);
	fd = rump_sys_openat(dfd, "f", RUMP_O_RDONLY);
	CHECK_GE("openat(dfd, \"f\")", fd, 0);
	rump_sys_close(fd);
	CHECK_EQ("mkdirat(dfd, \"m\")", rump_sys_mkdirat(dfd, "m", 0700), 0);
	CHECK_EQ("fstatat(dfd, \"m\")", rump_sys_fstatat(dfd, "m", (void *)&sb, 0), 0);
	CHECK_EQ("... mode 040700", sb.st_mode, 040700);
	CHECK_EQ("fstatat(AT_SYMLINK_NOFOLLOW) of l",
	    rump_sys_fstatat(dfd, "l", (void *)&sb, RUMP_AT_SYMLINK_NOFOLLOW), 0);
	CHECK_EQ("... S_IFLNK", sb.st_mode & RUMP_S_IFMT, RUMP_S_IFLNK);
	CHECK_ERR("unlinkat(dfd, \"m\", 0) of a dir: EPERM", rump_sys_unlinkat(dfd, "m", 0), RUMP_EPERM);
	CHECK_EQ("unlinkat(dfd, \"m\", AT_REMOVEDIR)", rump_sys_unlinkat(dfd, "m", RUMP_AT_REMOVEDIR), 0);
	CHECK_EQ("symlinkat(\"f\", dfd, \"l2\")", rump_sys_symlinkat("f", dfd, "l2"), 0);
	CHECK_EQ("readlinkat(dfd, \"l2\")", rump_sys_readlinkat(dfd, "l2", buf, sizeof(buf)), 1);
	CHECK_EQ("linkat(dfd, f, dfd, f2, 0)", rump_sys_linkat(dfd, "f", dfd, "f2", 0), 0);
	CHECK_EQ("renameat(dfd, f2, AT_FDCWD, /f3)", rump_sys_renameat(dfd, "f2", RUMP_AT_FDCWD, "/f3"), 0);
	CHECK_EQ("stat /f3", st("/f3", &sb), 0);
	fd = rump_sys_open("/a/f", RUMP_O_RDONLY);
	CHECK_ERR("openat with a file fd: ENOTDIR", rump_sys_openat(fd, "x", RUMP_O_RDONLY), RUMP_ENOTDIR);
	CHECK_ERR("openat with a bad fd: EBADF", rump_sys_openat(99, "x", RUMP_O_RDONLY), RUMP_EBADF);
	CHECK_EQ("fchdir(dfd)", rump_sys_fchdir(dfd), 0);
	CHECK_EQ("stat f relative to /a", st("f", &sb), 0);
	rump_sys_close(fd);
	rump_sys_close(dfd);

	/* chroot */
	CHECK_EQ("rfork for chroot", rump_pub_lwproc_rfork(RUMP_RFFDG), 0);
	CHECK_EQ("chroot /a", rump_sys_chroot("/a"), 0);
	CHECK_EQ("stat /f inside the chroot", st("/f", &sb), 0);
	CHECK_EQ("stat /../../f stays inside", st("/../../f", &sb), 0);
	CHECK_ERR("/tmp is outside", st("/tmp", &sb), RUMP_ENOENT);
	memset(buf, 0, sizeof(buf));
	CHECK_EQ("__getcwd in the chroot", rump_sys___getcwd(buf, sizeof(buf)), 2);
	CHECK_STR("... \"/\"", buf, "/");
	rump_pub_lwproc_releaselwp();
	CHECK_EQ("the parent still sees /tmp", st("/tmp", &sb), 0);

	/* unlink of the cwd's directory */
	CHECK_EQ("mkdir /gone", rump_sys_mkdir("/gone", 0755), 0);
	CHECK_EQ("chdir /gone", rump_sys_chdir("/gone"), 0);
	CHECK_EQ("rmdir /gone", rump_sys_rmdir("/gone"), 0);
	CHECK_ERR("creating in a removed cwd: ENOENT", rump_sys_open("x", RUMP_O_CREAT | RUMP_O_RDWR, 0644), RUMP_ENOENT);
	CHECK_ERR("__getcwd of a removed dir: ENOENT", rump_sys___getcwd(buf, sizeof(buf)), RUMP_ENOENT);
	CHECK_EQ("chdir /", rump_sys_chdir("/"), 0);

	/* bad pointers */
	CHECK_ERR("stat(NULL): EFAULT", st(NULL, &sb), RUMP_EFAULT);
	CHECK_ERR("stat into NULL: EFAULT", rump_sys_stat("/a", NULL), RUMP_EFAULT);
	CHECK_ERR("open(NULL): EFAULT", rump_sys_open(NULL, RUMP_O_RDONLY), RUMP_EFAULT);

	/* lseek on a non-vnode */
	CHECK_ERR("lseek on the console: ESPIPE", rump_sys_lseek(1, 0, RUMP_SEEK_SET), RUMP_ESPIPE);

	/* pathconf */
	CHECK_EQ("pathconf(_PC_NAME_MAX) 511", rump_sys_pathconf("/a", 4), 511);
	CHECK_EQ("pathconf(_PC_PATH_MAX) 1024", rump_sys_pathconf("/a", 5), 1024);
	fd = rump_sys_open("/a/f", RUMP_O_RDONLY);
	CHECK_EQ("fpathconf(_PC_LINK_MAX) 32767", rump_sys_fpathconf(fd, 1), 32767);
	CHECK_ERR("fpathconf(999): EINVAL", rump_sys_fpathconf(fd, 999), RUMP_EINVAL);
	rump_sys_close(fd);

	/* 10 000 names in one directory */
	{
		char name[64];
		int ok = 1;
		rump_sys_mkdir("/many", 0755);
		for (i = 0; i < 10000 && ok; i++) {
			snprintf(name, sizeof(name), "/many/file%05d", i);
			fd = rump_sys_open(name, RUMP_O_CREAT | RUMP_O_EXCL | RUMP_O_WRONLY, 0644);
			ok = fd >= 0 && rump_sys_close(fd) == 0;
		}
		CHECK_TRUE("create 10000 files", ok);
		{
			char dbuf[4096];
			int n, total = 0;
			fd = rump_sys_open("/many", RUMP_O_RDONLY);
			while ((n = rump_sys_getdents(fd, dbuf, sizeof(dbuf))) > 0)
				for (i = 0; i < n; i += ((struct rump_dirent *)(void *)(dbuf + i))->d_reclen)
					total++;
			rump_sys_close(fd);
			CHECK_EQ("getdents lists 10000 entries", total, 10000);
		}
		for (i = 0, ok = 1; i < 10000 && ok; i += 2) {
			snprintf(name, sizeof(name), "/many/file%05d", i);
			ok = rump_sys_unlink(name) == 0;
		}
		CHECK_TRUE("unlink every second file", ok);
		CHECK_ERR("a removed one is gone", st("/many/file00002", &sb), RUMP_ENOENT);
		CHECK_EQ("a kept one is there", st("/many/file00003", &sb), 0);
		CHECK_EQ("list /many", list("/many", buf, sizeof(buf)) >= 0, 1);
	}
	return h_end();
}
