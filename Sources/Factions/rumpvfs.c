/*
 * librumpvfs.so: the VFS faction.  Linking it (or dlopen()ing it before
 * rump_init) makes the core attach its VFS subsystem: the root file system
 * (rumpfs with /dev and /tmp), the file system calls and host files (etfs).
 * Without it those calls fail with ENOSYS, as in the reference.
 */
#include <rump/rump_component.h>

RUMP_COMPONENT(RUMP__FACTION_VFS)
{
	/* The core attaches the faction when this component runs. */
}
