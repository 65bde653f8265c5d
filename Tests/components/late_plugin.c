/* A plugin loaded after rump_init() with rump_faction_load(): runs at once. */
#include <rump/rump_component.h>
#include "record.h"

RUMP_COMPONENT(RUMP_COMPONENT_POSTINIT)
{
	test_record("late:postinit");
}
