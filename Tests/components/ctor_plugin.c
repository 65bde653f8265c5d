/* A plugin registering through an ELF constructor, as the reference's build does. */
#define RUMP_USE_CTOR
#include <rump/rump_component.h>
#include "record.h"

RUMP_COMPONENT(RUMP_COMPONENT_POSTINIT)
{
	test_record("ctor:postinit");
}
