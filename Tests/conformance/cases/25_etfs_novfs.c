/* libs: -lrump -lrumpuser */
/*
 * 25_etfs_novfs: without the VFS faction the etfs calls give ENOSYS (the
 * core only holds the pointers rumpvfs fills in), and a mapping queued with
 * rump_boot_etfs_register before rump_init has eb_status -1 until boot and
 * ENOSYS after it.
 */
#include "../harness.h"

int
main(void)
{
	static struct rump_boot_etfs eb;

	h_begin("25_etfs_novfs");
	eb.eb_key = "/etc";
	eb.eb_hostpath = "/etc";
	eb.eb_type = RUMP_ETFS_DIR;
	eb.eb_begin = 0;
	eb.eb_size = RUMP_ETFS_SIZE_ENDOFF;
	eb.eb_status = 12345;
	rump_boot_etfs_register(&eb);
	CHECK_EQ("queued: eb_status -1", eb.eb_status, -1);
	H_BOOT();
	CHECK_EQ("after rump_init without rumpvfs: eb_status ENOSYS", eb.eb_status, RUMP_ENOSYS);
	CHECK_EQ("etfs_register DIR: ENOSYS",
	    rump_pub_etfs_register("/etc", "/etc", RUMP_ETFS_DIR), RUMP_ENOSYS);
	CHECK_EQ("etfs_register DIR_SUBDIRS: ENOSYS",
	    rump_pub_etfs_register("/etc", "/etc", RUMP_ETFS_DIR_SUBDIRS), RUMP_ENOSYS);
	CHECK_EQ("etfs_register_withsize: ENOSYS",
	    rump_pub_etfs_register_withsize("/x", "/etc/hostname", RUMP_ETFS_REG, 0, 1),
	    RUMP_ENOSYS);
	CHECK_EQ("etfs_remove: ENOSYS", rump_pub_etfs_remove("/etc"), RUMP_ENOSYS);
	return h_end();
}
