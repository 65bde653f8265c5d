/* A library the driver links against: components found through its link set. */
#include <rump/rump_component.h>
#include "record.h"

RUMP_COMPONENT(RUMP_COMPONENT_KERN_VFS)
{
	test_record("linked:kern_vfs");
}

RUMP_COMPONENT(RUMP_COMPONENT_SYSCALL)
{
	test_record("linked:syscall");
}
