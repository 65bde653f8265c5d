/*
 * librumpfs_tmpfs.so: makes the "tmpfs" file system type mountable with
 * rump_sys_mount(RUMP_MOUNT_TMPFS, dir, flags, &struct tmpfs_args, 40).
 */
#include <rump/rump_component.h>

/* Exported by librump (VFS faction): register a file system type by name. */
int rumpns_vfs_attach_fstype(const char *);

RUMP_COMPONENT(RUMP_COMPONENT_VFS)
{
	(void)rumpns_vfs_attach_fstype("tmpfs");
}
