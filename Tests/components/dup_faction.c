/* A second DEV faction component: the kernel must refuse it. */
#include <rump/rump_component.h>
#include "record.h"

RUMP_COMPONENT(RUMP__FACTION_DEV)
{
	test_record("dup:faction_dev");
}
