/*
 * librumpnet_net.so: the reference's net/ layer (routing sockets,
 * interfaces).  Here it only keeps the reference's link line
 * (-lrumpnet_local -lrumpnet_net -lrumpnet) working: it registers an empty
 * routing component.
 */
#include <rump/rump_component.h>

RUMP_COMPONENT(RUMP_COMPONENT_NET_ROUTE)
{
}
