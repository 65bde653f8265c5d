/*
 * librumpnet_local.so: the local domain (AF_LOCAL / AF_UNIX sockets:
 * stream, datagram, seqpacket).  Needs librumpnet.so, whose faction
 * installs the socket system calls.
 */
#include <rump/rump_component.h>

/* Exported by librump: attach a protocol family's domain. */
int rumpns_net_attach_domain(int family);

RUMP_COMPONENT(RUMP_COMPONENT_NET)
{
	(void)rumpns_net_attach_domain(1 /* AF_LOCAL */);
}
