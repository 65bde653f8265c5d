/* A link-set plugin the driver dlopens RTLD_LOCAL before rump_init(). */
#include <rump/rump_component.h>
#include "record.h"

RUMP_COMPONENT(RUMP_COMPONENT_KERN)
{
	test_record("local:kern");
}

RUMP_COMPONENT(RUMP__FACTION_DEV)
{
	test_record("local:faction_dev");
}

RUMP_COMPONENT(RUMP_COMPONENT_DEV)
{
	test_record("local:dev");
}
