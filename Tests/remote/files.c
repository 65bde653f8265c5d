/*
 * files: the file system of a served kernel, through librumpclient.  Every
 * pointer argument crosses the wire (copyin, copyinstr, copyout), so this
 * checks the copies as much as the calls: contents byte for byte, NetBSD
 * struct stat and struct dirent layouts, and NetBSD errno values ENOENT 2,
 * EBADF 9, EFAULT 14, EEXIST 17, ENAMETOOLONG 63.
 *
 * usage: files [CASE-NAME]   (the name tells the unix and tcp runs apart)
 */
#include "remote.h"

#define BIG	(1024 * 1024)

/* The byte at offset i of the big file: no period of a power of two. */
static unsigned char
pattern(size_t i)
{
	return (unsigned char)((i * 131u + (i >> 9) * 7u + 3u) % 251u);
}

/* The names in a directory, in getdents order; returns the count or -1. */
static int
dir_entries(const char *path, char names[][64], int types[], int cap,
    int *bad_reclen)
{
	char buf[4096];
	int fd, n, count = 0;

	*bad_reclen = 0;
	fd = rump_sys_open(path, RUMP_O_RDONLY | RUMP_O_DIRECTORY);
	if (fd < 0)
		return -1;
	while ((n = rump_sys_getdents(fd, buf, sizeof(buf))) > 0) {
		int off = 0;

		while (off < n) {
			const struct rump_dirent *d = (const void *)(buf + off);

			/* NetBSD records are 8-byte aligned and hold the NUL. */
			if (d->d_reclen == 0 || d->d_reclen % 8 != 0 ||
			    d->d_reclen < 13 + d->d_namlen + 1 ||
			    d->d_name[d->d_namlen] != '\0') {
				*bad_reclen = 1;
				break;
			}
			if (count < cap) {
				snprintf(names[count], 64, "%.*s",
				    (int)d->d_namlen, d->d_name);
				types[count] = d->d_type;
				count++;
			}
			off += d->d_reclen;
		}
		if (*bad_reclen)
			break;
	}
	rump_sys_close(fd);
	return n < 0 ? -1 : count;
}

/*
 * How many distinct entries getdents returns through a bufsize-byte buffer,
 * each name checked once ("entry-NNN" names must not repeat); -1 on error.
 */
static int
count_entries(const char *path, size_t bufsize)
{
	char buf[4096], seen[100] = { 0 };
	int fd, n, count = 0;

	if (bufsize > sizeof(buf))
		return -1;
	fd = rump_sys_open(path, RUMP_O_RDONLY | RUMP_O_DIRECTORY);
	if (fd < 0)
		return -1;
	while ((n = rump_sys_getdents(fd, buf, bufsize)) > 0) {
		int off = 0;

		while (off < n) {
			const struct rump_dirent *d = (const void *)(buf + off);
			int k;

			if (d->d_reclen == 0 || (sscanf(d->d_name,
			    "entry-%3d", &k) == 1 && k >= 0 && k < 100 &&
			    seen[k]++)) {
				/* malformed, or a name listed twice */
				rump_sys_close(fd);
				return -1;
			}
			count++;
			off += d->d_reclen;
		}
	}
	rump_sys_close(fd);
	return n < 0 ? -1 : count;
}

static int
find_name(char names[][64], int count, const char *name)
{
	int i;

	for (i = 0; i < count; i++)
		if (strcmp(names[i], name) == 0)
			return i;
	return -1;
}

int
main(int argc, char **argv)
{
	char base[64], dir[96], file[128], moved[128], link[128], buf[256];
	char names[16][64], *longpath;
	unsigned char *big, *back;
	struct rump_stat sb, sb2;
	int types[16], fd, fd2, n, i, bad;
	size_t k;
	ssize_t got;

	h_begin(argc > 1 ? argv[1] : "remote-files");
	R_CONNECT();

	/* Paths of their own, so runs against one server do not meet. */
	snprintf(base, sizeof(base), "/tmp/files.%d", (int)getpid());
	snprintf(dir, sizeof(dir), "%s/d", base);
	snprintf(file, sizeof(file), "%s/f", base);
	snprintf(moved, sizeof(moved), "%s/d/g", base);
	snprintf(link, sizeof(link), "%s/l", base);

	CHECK_EQ("mkdir base directory", rump_sys_mkdir(base, 0755), 0);
	CHECK_ERR("mkdir again gives EEXIST (17)", rump_sys_mkdir(base, 0755), 17);
	CHECK_EQ("mkdir subdirectory", rump_sys_mkdir(dir, 0755), 0);

	/* open, write, pread, positioned and plain */
	fd = rump_sys_open(file, RUMP_O_RDWR | RUMP_O_CREAT | RUMP_O_EXCL, 0644);
	REQUIRE("open O_CREAT|O_EXCL gives a descriptor above the console",
	    fd >= 3);
	CHECK_ERR("open O_CREAT|O_EXCL of an existing file gives EEXIST (17)",
	    rump_sys_open(file, RUMP_O_RDWR | RUMP_O_CREAT | RUMP_O_EXCL, 0644),
	    17);
	CHECK_EQ("write 12 bytes", rump_sys_write(fd, "hello, world", 12), 12);
	memset(buf, 0, sizeof(buf));
	CHECK_EQ("pread 5 bytes at offset 7", rump_sys_pread(fd, buf, 5, 7), 5);
	CHECK_STR("pread returns \"world\"", buf, "world");
	CHECK_EQ("lseek to 0", rump_sys_lseek(fd, 0, RUMP_SEEK_SET), 0);
	memset(buf, 0, sizeof(buf));
	CHECK_EQ("read returns all 12 bytes", rump_sys_read(fd, buf, sizeof(buf)),
	    12);
	CHECK_STR("read returns what was written", buf, "hello, world");
	CHECK_EQ("read at the end returns 0", rump_sys_read(fd, buf, 10), 0);

	/* struct stat crosses as NetBSD's 152-byte layout */
	memset(&sb, 0xa5, sizeof(sb));
	CHECK_EQ("fstat", r_fstat(fd, &sb), 0);
	CHECK_EQ("fstat st_size is 12", sb.st_size, 12);
	CHECK_EQ("fstat st_mode is 0100644", sb.st_mode, 0100644);
	CHECK_EQ("fstat st_nlink is 1", sb.st_nlink, 1);
	CHECK_EQ("fstat st_uid is 0 (clients are root)", sb.st_uid, 0);
	memset(&sb2, 0x5a, sizeof(sb2));
	CHECK_EQ("stat by name", r_stat(file, &sb2), 0);
	CHECK_EQ("stat and fstat agree on st_ino", sb2.st_ino, sb.st_ino);
	CHECK_EQ("stat and fstat agree on st_dev", sb2.st_dev, sb.st_dev);
	CHECK_EQ("stat st_size is 12", sb2.st_size, 12);
	CHECK_EQ("stat of the directory", r_stat(dir, &sb2), 0);
	CHECK_EQ("directory st_mode is 040755", sb2.st_mode, 040755);

	/* errno values, NetBSD's numbers */
	snprintf(buf, sizeof(buf), "%s/nonexistent", base);
	CHECK_ERR("open of a missing file gives ENOENT (2)",
	    rump_sys_open(buf, RUMP_O_RDONLY), 2);
	CHECK_ERR("stat of a missing file gives ENOENT (2)", r_stat(buf, &sb2), 2);
	CHECK_ERR("read from an unused descriptor gives EBADF (9)",
	    rump_sys_read(200, buf, 1), 9);
	fd2 = rump_sys_open(file, RUMP_O_RDONLY);
	CHECK_EQ("close", rump_sys_close(fd2), 0);
	CHECK_ERR("close again gives EBADF (9)", rump_sys_close(fd2), 9);
	CHECK_ERR("open of a NULL path gives EFAULT (14)",
	    rump_sys_open(NULL, RUMP_O_RDONLY), 14);
	CHECK_ERR("stat of a NULL path gives EFAULT (14)",
	    rump_sys_stat(NULL, (struct stat *)(void *)&sb2), 14);
	longpath = malloc(2001);
	REQUIRE("malloc", longpath != NULL);
	longpath[0] = '/';
	for (i = 1; i < 2000; i++)
		longpath[i] = (i % 100 == 0) ? '/' : 'a';
	longpath[2000] = '\0';
	CHECK_ERR("open of a 2000-byte path gives ENAMETOOLONG (63)",
	    rump_sys_open(longpath, RUMP_O_RDONLY), 63);
	CHECK_ERR("mkdir of a 2000-byte path gives ENAMETOOLONG (63)",
	    rump_sys_mkdir(longpath, 0755), 63);
	free(longpath);

	/* rename, symlink, readlink */
	CHECK_EQ("rename into the subdirectory", rump_sys_rename(file, moved), 0);
	CHECK_ERR("the old name is gone: ENOENT (2)", r_stat(file, &sb2), 2);
	CHECK_EQ("stat of the new name", r_stat(moved, &sb2), 0);
	CHECK_EQ("the renamed file keeps its inode", sb2.st_ino, sb.st_ino);
	CHECK_EQ("the open descriptor still reads it",
	    rump_sys_pread(fd, buf, 5, 0), 5);
	CHECK_MEM("... the same bytes", buf, "hello", 5);
	CHECK_EQ("symlink", rump_sys_symlink(moved, link), 0);
	CHECK_ERR("symlink over an existing name gives EEXIST (17)",
	    rump_sys_symlink(moved, link), 17);
	memset(buf, 0, sizeof(buf));
	CHECK_EQ("readlink returns the target's length",
	    rump_sys_readlink(link, buf, sizeof(buf)), (long long)strlen(moved));
	CHECK_STR("readlink returns the target", buf, moved);
	memset(buf, 'x', sizeof(buf));
	CHECK_EQ("readlink into 4 bytes truncates to 4",
	    rump_sys_readlink(link, buf, 4), 4);
	CHECK_MEM("... and writes nothing after them", buf, "/tmpx", 5);
	CHECK_EQ("lstat of the link", r_lstat(link, &sb2), 0);
	CHECK_EQ("lstat sees a symbolic link", sb2.st_mode & RUMP_S_IFMT,
	    RUMP_S_IFLNK);
	CHECK_EQ("stat follows the link", r_stat(link, &sb2), 0);
	CHECK_EQ("... to the 12-byte file", sb2.st_size, 12);

	/*
	 * getdents: NetBSD struct dirent records.  rumpfs, the root file
	 * system, lists only the names in a directory, without "." and "..".
	 */
	n = dir_entries(dir, names, types, 16, &bad);
	CHECK_EQ("getdents lists 1 entry in the subdirectory", n, 1);
	CHECK_TRUE("getdents records are well formed (reclen, namlen, NUL)",
	    !bad);
	i = find_name(names, n < 0 ? 0 : n, "g");
	CHECK_TRUE("getdents lists the renamed file", i >= 0);
	CHECK_EQ("its d_type is DT_REG (8)", i >= 0 ? types[i] : -1, 8);
	n = dir_entries(base, names, types, 16, &bad);
	CHECK_EQ("getdents lists 2 entries in the base directory", n, 2);
	i = find_name(names, n < 0 ? 0 : n, "d");
	CHECK_EQ("the subdirectory has d_type DT_DIR (4)", i >= 0 ? types[i] : -1,
	    4);
	i = find_name(names, n < 0 ? 0 : n, "l");
	CHECK_EQ("the symlink has d_type DT_LNK (10)", i >= 0 ? types[i] : -1, 10);
	/* Many entries, read back through a small buffer in many calls. */
	for (i = 0, bad = 0; i < 100; i++) {
		snprintf(buf, sizeof(buf), "%s/entry-%03d", dir, i);
		fd2 = rump_sys_open(buf, RUMP_O_WRONLY | RUMP_O_CREAT, 0600);
		if (fd2 < 0 || rump_sys_close(fd2) != 0)
			bad++;
	}
	CHECK_EQ("create 100 more files in the subdirectory", bad, 0);
	CHECK_EQ("getdents through a 512-byte buffer lists all 101",
	    count_entries(dir, 512), 101);
	for (i = 0, bad = 0; i < 100; i++) {
		snprintf(buf, sizeof(buf), "%s/entry-%03d", dir, i);
		if (rump_sys_unlink(buf) != 0)
			bad++;
	}
	CHECK_EQ("unlink the 100 files", bad, 0);

	fd2 = rump_sys_open(moved, RUMP_O_RDONLY);
	CHECK_ERR("getdents on a regular file gives ENOTDIR (20)",
	    rump_sys_getdents(fd2, buf, sizeof(buf)), 20);
	rump_sys_close(fd2);
	fd2 = rump_sys_open(dir, RUMP_O_RDONLY);
	CHECK_ERR("getdents into a NULL buffer gives EFAULT (14)",
	    rump_sys_getdents(fd2, NULL, 4096), 14);
	rump_sys_close(fd2);

	/* 1 MiB round trip: one write, one read, every byte checked */
	big = malloc(BIG);
	back = malloc(BIG);
	REQUIRE("malloc 2 MiB", big != NULL && back != NULL);
	for (k = 0; k < BIG; k++)
		big[k] = pattern(k);
	snprintf(buf, sizeof(buf), "%s/big", base);
	fd2 = rump_sys_open(buf, RUMP_O_RDWR | RUMP_O_CREAT | RUMP_O_TRUNC, 0600);
	REQUIRE("open the big file", fd2 >= 0);
	CHECK_EQ("write 1 MiB in one call", rump_sys_write(fd2, big, BIG), BIG);
	CHECK_EQ("fstat says 1048576 bytes", (r_fstat(fd2, &sb2), sb2.st_size),
	    BIG);
	CHECK_EQ("lseek back to 0", rump_sys_lseek(fd2, 0, RUMP_SEEK_SET), 0);
	memset(back, 0, BIG);
	got = rump_sys_read(fd2, back, BIG);
	CHECK_EQ("read 1 MiB in one call", got, BIG);
	CHECK_MEM("all 1048576 bytes come back", back, big, BIG);
	memset(back, 0, BIG);
	CHECK_EQ("pread 100000 bytes at offset 654321",
	    rump_sys_pread(fd2, back, 100000, 654321), 100000);
	CHECK_MEM("... are the bytes at that offset", back, big + 654321, 100000);
	CHECK_EQ("pread across the end returns what is left",
	    rump_sys_pread(fd2, back, 4096, BIG - 1000), 1000);
	CHECK_EQ("pwrite 3 bytes at 1 MiB + 10 (a hole before them)",
	    rump_sys_pwrite(fd2, "xyz", 3, BIG + 10), 3);
	memset(back, 0x77, 16);
	CHECK_EQ("pread over the hole", rump_sys_pread(fd2, back, 16, BIG), 13);
	CHECK_MEM("the hole reads as zeros, then the bytes",
	    back, "\0\0\0\0\0\0\0\0\0\0xyz", 13);
	CHECK_EQ("close the big file", rump_sys_close(fd2), 0);
	CHECK_EQ("unlink the big file", rump_sys_unlink(buf), 0);
	free(big);
	free(back);

	/* a NULL buffer is the client's bad address, not a crash */
	CHECK_ERR("write from a NULL buffer gives EFAULT (14)",
	    rump_sys_write(fd, NULL, 10), 14);

	/* unlink, rmdir, tidy */
	CHECK_EQ("close the file", rump_sys_close(fd), 0);
	CHECK_EQ("unlink the symlink", rump_sys_unlink(link), 0);
	CHECK_EQ("unlink the file", rump_sys_unlink(moved), 0);
	CHECK_ERR("unlink again gives ENOENT (2)", rump_sys_unlink(moved), 2);
	CHECK_EQ("rmdir the subdirectory", rump_sys_rmdir(dir), 0);
	CHECK_EQ("rmdir the base directory", rump_sys_rmdir(base), 0);
	CHECK_ERR("it is gone: ENOENT (2)", r_stat(base, &sb2), 2);

	return h_end();
}
