/* libs: -lrumpfs_tmpfs -lrumpvfs -lrump -lrumpuser */
/*
 * 22_vfs_mount: tmpfs mounts with NetBSD's struct tmpfs_args (40 bytes,
 * version 1), statvfs1/fstatvfs1/getvfsstat with NetBSD's 2256-byte struct
 * statvfs (f_fstypename @172, f_mntonname @204), unmount (EBUSY 16 while a
 * file is open, EINVAL 22 for a non-mount point), ENODEV 19 for an unknown
 * type; host files (etfs): rump_pub_etfs_register{,_withsize}, _remove.
 */
#include "../harness.h"
#include <fcntl.h>
#include <unistd.h>

struct nb_tmpfs_args {
	int32_t  ta_version;
	uint64_t ta_nodes_max;
	int64_t  ta_size_max;
	uint32_t ta_root_uid;
	uint32_t ta_root_gid;
	uint32_t ta_root_mode;
};

#define SVFS_SIZE 2256
#define SVFS_TYPE 172
#define SVFS_ON 204
#define SVFS_NAMEMAX 144

int
main(void)
{
	struct nb_tmpfs_args ta;
	struct rump_stat sb;
	static char svfs[SVFS_SIZE * 4];
	char buf[256], hostpath[64];
	int fd, n, hfd;

	h_begin("22_vfs_mount");
	H_BOOT();

	memset(&ta, 0, sizeof(ta));
	ta.ta_version = 1;
	ta.ta_root_mode = 01777;
	ta.ta_root_uid = 5;
	CHECK_EQ("mkdir /mnt", rump_sys_mkdir("/mnt", 0755), 0);
	CHECK_ERR("mount of an unknown type: ENODEV (19)",
	    rump_sys_mount("nosuchfs", "/mnt", 0, &ta, sizeof(ta)), RUMP_ENODEV);
	CHECK_ERR("mount on a missing directory: ENOENT",
	    rump_sys_mount("tmpfs", "/nope", 0, &ta, sizeof(ta)), RUMP_ENOENT);
	ta.ta_version = 2;
	CHECK_ERR("tmpfs_args version 2: EINVAL",
	    rump_sys_mount("tmpfs", "/mnt", 0, &ta, sizeof(ta)), RUMP_EINVAL);
	ta.ta_version = 1;
	CHECK_EQ("mount tmpfs on /mnt", rump_sys_mount("tmpfs", "/mnt", 0, &ta, sizeof(ta)), 0);
	CHECK_EQ("stat /mnt", rump_sys_stat("/mnt", (void *)&sb), 0);
	CHECK_EQ("root mode 041777 from the args", sb.st_mode, 041777);
	CHECK_EQ("root uid 5 from the args", sb.st_uid, 5);
	CHECK_ERR("mount tmpfs on /mnt again: EBUSY",
	    rump_sys_mount("tmpfs", "/mnt", 0, &ta, sizeof(ta)), RUMP_EBUSY);
	fd = rump_sys_open("/mnt/f", RUMP_O_RDWR | RUMP_O_CREAT, 0644);
	CHECK_GE("create /mnt/f", fd, 0);
	CHECK_EQ("write 6", rump_sys_write(fd, "tmpfs!", 6), 6);
	CHECK_EQ("ftruncate to 3", rump_sys_ftruncate(fd, 3), 0);
	CHECK_EQ("ftruncate to 10", rump_sys_ftruncate(fd, 10), 0);
	memset(buf, 0x55, sizeof(buf));
	CHECK_EQ("pread 10", rump_sys_pread(fd, buf, 100, 0), 10);
	CHECK_MEM("the regrown part reads as zeros", buf, "tmp\0\0\0\0\0\0\0", 10);
	CHECK_EQ("fstatvfs1", rump_sys_fstatvfs1(fd, (void *)svfs, 1), 0);
	CHECK_STR("f_fstypename tmpfs", svfs + SVFS_TYPE, "tmpfs");
	CHECK_STR("f_mntonname /mnt", svfs + SVFS_ON, "/mnt");
	CHECK_EQ("f_namemax 511", *(unsigned long *)(void *)(svfs + SVFS_NAMEMAX), 511);
	CHECK_ERR("unmount while a file is open: EBUSY", rump_sys_unmount("/mnt", 0), RUMP_EBUSY);
	rump_sys_close(fd);
	CHECK_ERR("rename across mounts: EXDEV", rump_sys_rename("/mnt/f", "/f"), RUMP_EXDEV);
	CHECK_ERR("link across mounts: EXDEV", rump_sys_link("/mnt/f", "/f"), RUMP_EXDEV);
	{
		char dbuf[1024];
		int k, dots = 0, files = 0;
		fd = rump_sys_open("/mnt", RUMP_O_RDONLY);
		n = rump_sys_getdents(fd, dbuf, sizeof(dbuf));
		for (k = 0; k < n; k += ((struct rump_dirent *)(void *)(dbuf + k))->d_reclen) {
			struct rump_dirent *d = (void *)(dbuf + k);
			if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, ".."))
				dots++;
			else
				files++;
		}
		rump_sys_close(fd);
		CHECK_EQ("tmpfs getdents lists . and ..", dots, 2);
		CHECK_EQ("... and the file", files, 1);
	}
	CHECK_EQ("stat /mnt/..", rump_sys_stat("/mnt/..", (void *)&sb), 0);
	CHECK_EQ("/mnt/.. is the root dir (040755)", sb.st_mode, 040755);
	CHECK_EQ("statvfs1 /", rump_sys_statvfs1("/", (void *)svfs, 1), 0);
	CHECK_STR("f_fstypename rumpfs", svfs + SVFS_TYPE, "rumpfs");
	CHECK_STR("f_mntonname /", svfs + SVFS_ON, "/");
	CHECK_EQ("getvfsstat(NULL) counts 2 mounts", rump_sys_getvfsstat(NULL, 0, 1), 2);
	CHECK_EQ("getvfsstat fills 2", rump_sys_getvfsstat((void *)svfs, sizeof(svfs), 1), 2);
	CHECK_STR("... second is /mnt", svfs + SVFS_SIZE + SVFS_ON, "/mnt");
	CHECK_EQ("getvfsstat with room for 1", rump_sys_getvfsstat((void *)svfs, SVFS_SIZE, 1), 1);
	CHECK_ERR("unmount of a plain directory: EINVAL", rump_sys_unmount("/tmp", 0), RUMP_EINVAL);
	CHECK_EQ("unmount /mnt", rump_sys_unmount("/mnt", 0), 0);
	CHECK_ERR("the tmpfs file is gone", rump_sys_stat("/mnt/f", (void *)&sb), RUMP_ENOENT);
	CHECK_EQ("getvfsstat counts 1 mount", rump_sys_getvfsstat(NULL, 0, 1), 1);

	/* etfs */
	snprintf(hostpath, sizeof(hostpath), "/tmp/vfs22.%d", (int)getpid());
	hfd = open(hostpath, O_RDWR | O_CREAT | O_TRUNC, 0644);
	REQUIRE("host file", hfd >= 0);
	(void)!write(hfd, "0123456789abcdef", 16);
	CHECK_EQ("etfs key not absolute: EINVAL",
	    rump_pub_etfs_register("rel", hostpath, RUMP_ETFS_REG), RUMP_EINVAL);
	CHECK_EQ("etfs missing host file: ENOENT",
	    rump_pub_etfs_register("/x", "/nonexistent/file", RUMP_ETFS_REG), RUMP_ENOENT);
	CHECK_EQ("etfs register /host", rump_pub_etfs_register("/host", hostpath, RUMP_ETFS_REG), 0);
	CHECK_EQ("stat /host", rump_sys_stat("/host", (void *)&sb), 0);
	CHECK_EQ("regular, 16 bytes", (sb.st_mode & RUMP_S_IFMT) == RUMP_S_IFREG && sb.st_size == 16, 1);
	fd = rump_sys_open("/host", RUMP_O_RDWR);
	CHECK_GE("open /host", fd, 0);
	memset(buf, 0, sizeof(buf));
	CHECK_EQ("read 16", rump_sys_read(fd, buf, sizeof(buf)), 16);
	CHECK_STR("host contents", buf, "0123456789abcdef");
	CHECK_EQ("pwrite XY at 2", rump_sys_pwrite(fd, "XY", 2, 2), 2);
	memset(buf, 0, sizeof(buf));
	(void)!pread(hfd, buf, 4, 0);
	CHECK_STR("the host file changed", buf, "01XY");
	rump_sys_close(fd);
	CHECK_EQ("etfs window [4, 4+6)",
	    rump_pub_etfs_register_withsize("/win", hostpath, RUMP_ETFS_REG, 4, 6), 0);
	fd = rump_sys_open("/win", RUMP_O_RDONLY);
	memset(buf, 0, sizeof(buf));
	CHECK_EQ("read the window: 6 bytes", rump_sys_read(fd, buf, sizeof(buf)), 6);
	CHECK_STR("... \"456789\"", buf, "456789");
	rump_sys_close(fd);
	{
		char out[256];
		char dbuf[4096];
		int k;
		out[0] = 0;
		fd = rump_sys_open("/", RUMP_O_RDONLY);
		n = rump_sys_getdents(fd, dbuf, sizeof(dbuf));
		for (k = 0; k < n; k += ((struct rump_dirent *)(void *)(dbuf + k))->d_reclen)
			if (!strcmp(((struct rump_dirent *)(void *)(dbuf + k))->d_name, "host"))
				strcat(out, "host");
		rump_sys_close(fd);
		CHECK_STR("etfs keys are hidden from getdents", out, "");
	}
	CHECK_EQ("etfs remove /host", rump_pub_etfs_remove("/host"), 0);
	CHECK_ERR("/host is gone", rump_sys_stat("/host", (void *)&sb), RUMP_ENOENT);
	CHECK_EQ("etfs remove of a missing key: ENOENT", rump_pub_etfs_remove("/host"), RUMP_ENOENT);
	close(hfd);
	unlink(hostpath);
	return h_end();
}
