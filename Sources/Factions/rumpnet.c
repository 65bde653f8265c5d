/*
 * librumpnet.so: the networking faction.  Linking it (or dlopen()ing it
 * before rump_init) makes the core attach its socket layer: the socket
 * system calls.  Which protocol families exist is up to the domain
 * components (librumpnet_local.so: AF_LOCAL).  Without it the socket calls
 * fail with ENOSYS, as in the reference.
 */
#include <rump/rump_component.h>

RUMP_COMPONENT(RUMP__FACTION_NET)
{
	/* The core attaches the faction when this component runs. */
}
