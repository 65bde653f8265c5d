/* libs: -lrumpvfs -lrump -lrumpuser */
/*
 * 40_socket_nonet: without the net factions (librumpnet*.so) the socket
 * system calls are not there: ENOSYS (78), as in the reference.
 */
#include "../harness.h"
#include <rump/rump_component.h>

int
main(void)
{
	int sv[2];

	h_begin("40_socket_nonet");
	H_BOOT();
	CHECK_ERR("socket(AF_LOCAL, SOCK_STREAM, 0) fails with ENOSYS",
	    rump_sys_socket(1, 1, 0), RUMP_ENOSYS);
	CHECK_ERR("socketpair(AF_LOCAL, SOCK_STREAM, 0) fails with ENOSYS",
	    rump_sys_socketpair(1, 1, 0, sv), RUMP_ENOSYS);
	CHECK_ERR("listen(0, 1) fails with ENOSYS", rump_sys_listen(0, 1), RUMP_ENOSYS);
	CHECK_EQ("rump_component_count(RUMP__FACTION_NET) is 0",
	    rump_component_count(RUMP__FACTION_NET), 0);
	return h_end();
}
