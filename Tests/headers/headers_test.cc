// headers_test.cc -- the rump public headers compiled as C++.
//
// Includes the same headers as headers_test.c (by compiling that file
// as part of this translation unit), so every run-time check of the C
// test runs again in C++, plus a few C++-only checks: constants usable
// in constant expressions, and the inline helpers callable from C++.

#include <sys/types.h>
#include <stdint.h>
#include <cstddef>
#include <cstring>
#include <cerrno>

#include <rump/rumpdefs.h>
#include <rump/rumperr.h>
#include <rump/rumperrno2host.h>

#if __cplusplus >= 201103L
// Constants must be integral constant expressions.
static_assert(RUMP_O_CREAT == 0x200, "RUMP_O_CREAT");
static_assert(RUMP_EAGAIN == 35, "RUMP_EAGAIN");
static_assert(RUMP_AF_INET6 == 24, "RUMP_AF_INET6");
static_assert(_RUMP_IOW('a', 1, int) == 0x80046101UL, "_RUMP_IOW");
static_assert(sizeof(rump_stat) == 152, "rump_stat size");
static_assert(offsetof(rump_stat, st_size) == 112, "rump_stat st_size");
static_assert(offsetof(rump_dirent, d_name) == 13, "rump_dirent d_name");

constexpr int cxx_array_len = RUMP_MAXNAMLEN + 1;
static_assert(cxx_array_len == 512, "array bound from RUMP_MAXNAMLEN");
#endif

static void cxx_checks(void);
#define HEADERS_TEST_EXTRA cxx_checks

#include "headers_test.c"

static void
cxx_checks(void)
{
	// enum rump_vtype is a plain enum usable as an int.
	enum rump_vtype vt = RUMP_VLNK;
	CHECK(static_cast<int>(vt), 5);

	// The helpers are usable through a function pointer.
	const char *(*se)(int) = rump_strerror;
	int (*e2h)(int) = rump_errno2host;
	CHECK_STR(se(RUMP_EISDIR), "Is a directory");
	CHECK(e2h(RUMP_EISDIR), EISDIR);

#if __cplusplus >= 201103L
	char cxx_name_buf[cxx_array_len];
	cxx_name_buf[0] = '\0';
	CHECK(sizeof(cxx_name_buf) + std::strlen(cxx_name_buf), 512);
#endif
}
