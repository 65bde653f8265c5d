/* libs: -lrump -lrumpuser */
/*
 * 18_uio: one-segment uios for direct vnode operations.
 *
 * rump_pub_uio_setup(buf, len, off, rw) describes len bytes at offset off;
 * getresid/getoff read them back and free returns the residual count.  A
 * direction other than RUMPUIO_READ/RUMPUIO_WRITE gives NULL (the reference
 * panics).  The kernel-side names rump_uio_* are exported as well.
 */
#include "../harness.h"

/* the kernel-side names (exported by librump, not declared in the headers) */
struct uio *rump_uio_setup(void *, size_t, off_t, enum rump_uiorw);
size_t rump_uio_getresid(struct uio *);
off_t rump_uio_getoff(struct uio *);
size_t rump_uio_free(struct uio *);

static int
sub_main(const char *mode)
{
	char buf[16];

	if (rump_init() != 0)
		return 3;
	if (strcmp(mode, "badrw") == 0) {
		struct uio *u = rump_pub_uio_setup(buf, sizeof(buf), 0,
		    (enum rump_uiorw)5);
		h_report("null", u == NULL, 0);
		u = rump_pub_uio_setup(buf, sizeof(buf), 0, (enum rump_uiorw)-1);
		h_report("null2", u == NULL, 0);
		u = rump_uio_setup(buf, sizeof(buf), 0, (enum rump_uiorw)2);
		h_report("null3", u == NULL, 0);
		h_report("alive", rump_sys_getpid(), 0);
		return 0;
	}
	return 2;
}

int
main(int argc, char **argv)
{
	static struct h_sub r;
	char buf[128];
	struct uio *u, *u2;
	int i;

	if (H_IS_SUB(argc, argv))
		return sub_main(argv[2]);
	h_begin("18_uio");
	H_BOOT();

	u = rump_pub_uio_setup(buf, 100, 7, RUMPUIO_READ);
	CHECK_NONNULL("uio_setup(buf, 100, 7, RUMPUIO_READ) returns a uio", u);
	if (u != NULL) {
		CHECK_EQ("... getresid() is 100", rump_pub_uio_getresid(u), 100);
		CHECK_EQ("... getoff() is 7", rump_pub_uio_getoff(u), 7);
		CHECK_EQ("... getresid() again is 100", rump_pub_uio_getresid(u), 100);
		CHECK_EQ("uio_free() returns the residual 100", rump_pub_uio_free(u),
		    100);
	}
	u = rump_pub_uio_setup(buf, sizeof(buf), 0x123456789LL, RUMPUIO_WRITE);
	CHECK_NONNULL("uio_setup(buf, 128, 0x123456789, RUMPUIO_WRITE) returns a uio",
	    u);
	if (u != NULL) {
		CHECK_EQ("... getresid() is 128", rump_pub_uio_getresid(u), 128);
		CHECK_EQ("... getoff() is the 64-bit offset 0x123456789",
		    rump_pub_uio_getoff(u), 0x123456789LL);
		CHECK_EQ("uio_free() returns 128", rump_pub_uio_free(u), 128);
	}
	u = rump_pub_uio_setup(NULL, 0, 0, RUMPUIO_READ);
	CHECK_NONNULL("uio_setup(NULL, 0, 0, READ) (an empty uio) returns a uio", u);
	if (u != NULL) {
		CHECK_EQ("... getresid() is 0", rump_pub_uio_getresid(u), 0);
		CHECK_EQ("uio_free() returns 0", rump_pub_uio_free(u), 0);
	}

	/* two at once stay apart */
	u = rump_pub_uio_setup(buf, 10, 1, RUMPUIO_READ);
	u2 = rump_pub_uio_setup(buf + 10, 20, 2, RUMPUIO_WRITE);
	CHECK_TRUE("two uios are distinct", u != NULL && u2 != NULL && u != u2);
	if (u != NULL && u2 != NULL) {
		CHECK_EQ("the first keeps resid 10", rump_pub_uio_getresid(u), 10);
		CHECK_EQ("the second keeps resid 20", rump_pub_uio_getresid(u2), 20);
		CHECK_EQ("the second keeps offset 2", rump_pub_uio_getoff(u2), 2);
		CHECK_EQ("freeing the second returns 20", rump_pub_uio_free(u2), 20);
		CHECK_EQ("freeing the first returns 10", rump_pub_uio_free(u), 10);
	}

	/* the kernel-side names */
	u = rump_uio_setup(buf, 64, 3, RUMPUIO_READ);
	CHECK_NONNULL("rump_uio_setup(buf, 64, 3, READ) returns a uio", u);
	if (u != NULL) {
		CHECK_EQ("rump_uio_getresid() is 64", rump_uio_getresid(u), 64);
		CHECK_EQ("rump_uio_getoff() is 3", rump_uio_getoff(u), 3);
		CHECK_EQ("rump_pub_uio_getresid() on it agrees",
		    rump_pub_uio_getresid(u), 64);
		CHECK_EQ("rump_uio_free() returns 64", rump_uio_free(u), 64);
	}

	/* many setups and frees: no leak of handles, no crash */
	for (i = 0; i < 10000; i++) {
		u = rump_pub_uio_setup(buf, (size_t)i, i, RUMPUIO_READ);
		if (u == NULL || rump_pub_uio_free(u) != (size_t)i)
			break;
	}
	CHECK_EQ("10000 setup/free pairs each give back their length", i, 10000);

	/* a bad direction: NULL instead of a panic */
	h_run_sub("badrw", NULL, 20, &r);
	CHECK_SUB_EXIT("uio_setup with rw 5: no crash, the process exits 0", &r, 0);
	h_check_sub_val("uio_setup(..., rw 5) returns NULL", &r, "null", 1, H_ANY);
	h_check_sub_val("uio_setup(..., rw -1) returns NULL", &r, "null2", 1, H_ANY);
	h_check_sub_val("rump_uio_setup(..., rw 2) returns NULL", &r, "null3", 1,
	    H_ANY);
	h_check_sub_val("... the kernel keeps working", &r, "alive", 1, H_ANY);

	return h_end();
}
