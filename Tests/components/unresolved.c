/* A plugin that needs a kernel function nobody provides: it cannot be loaded. */
#include <rump/rump_component.h>

void rumpns_no_such_kernel_function(void);

RUMP_COMPONENT(RUMP_COMPONENT_POSTINIT)
{
	rumpns_no_such_kernel_function();
}
