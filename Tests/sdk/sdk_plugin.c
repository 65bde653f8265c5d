/*
 * A faction plugin exercising the SDK (rump_faction.h): modules with a
 * requirement, a failing module, a module missing its requirement; a system
 * call (number 501) that copies in and out, allocates kernel memory, reads
 * the caller's identity, and waits on a condition variable for a kernel
 * thread; and sysctl nodes backed by plugin variables.
 */
#include <string.h>
#include <rump/rump_faction.h>

#define SYS_SDKTEST	501
#define MIB_SDKTEST	4242

int sdk_base_inits, sdk_user_inits;
static int counter = 7;
static char motd[32] = "hello";

struct sdk_request {
	int	value;		/* in */
	int	pid;		/* out: curproc's pid */
	int	euid;		/* out: kauth_cred_geteuid(kauth_cred_get()) */
	int	thread_saw;	/* out: value + 1, set by a kernel thread */
	int	base_inits;	/* out: how often sdkbase was initialised */
};

MODULE(MODULE_CLASS_MISC, sdkbase, NULL);
MODULE(MODULE_CLASS_MISC, sdkuser, "sdkbase");
MODULE(MODULE_CLASS_MISC, sdkfail, NULL);
MODULE(MODULE_CLASS_MISC, sdkorphan, "sdknothere");

static int
sdkbase_modcmd(modcmd_t cmd, void *arg)
{
	(void)arg;
	if (cmd == MODULE_CMD_INIT)
		sdk_base_inits++;
	return cmd == MODULE_CMD_INIT || cmd == MODULE_CMD_FINI ? 0 : 25;
}

static int
sdkuser_modcmd(modcmd_t cmd, void *arg)
{
	(void)arg;
	if (cmd == MODULE_CMD_INIT) {
		/* The required module is up first. */
		if (sdk_base_inits == 0)
			return 5;
		sdk_user_inits++;
	}
	return cmd == MODULE_CMD_INIT || cmd == MODULE_CMD_FINI ? 0 : 25;
}

static int
sdkfail_modcmd(modcmd_t cmd, void *arg)
{
	(void)arg;
	return cmd == MODULE_CMD_INIT ? 5 /* EIO */ : 0;
}

static int
sdkorphan_modcmd(modcmd_t cmd, void *arg)
{
	(void)cmd;
	(void)arg;
	return 0;
}

struct handoff {
	kmutex_t lock;
	kcondvar_t cv;
	int value, done;
};

static void
worker(void *arg)
{
	struct handoff *h = arg;

	mutex_enter(&h->lock);
	h->value++;
	h->done = 1;
	cv_signal(&h->cv);
	mutex_exit(&h->lock);
	kthread_exit(0);
}

static int
sdktest(struct lwp *l, const void *args, long *retval)
{
	const long *slot = args;
	void *user;
	struct sdk_request req;
	struct handoff *h;
	lwp_t *t;
	int error;

	(void)l;
	/* A new system call's argument block is whatever the caller passed. */
	if (args == NULL)
		return 14;	/* EFAULT */
	user = (void *)slot[0];
	if ((error = copyin(user, &req, sizeof(req))) != 0)
		return error;
	h = kmem_zalloc(sizeof(*h), KM_SLEEP);
	mutex_init(&h->lock, MUTEX_DEFAULT, IPL_NONE);
	cv_init(&h->cv, "sdktest");
	h->value = req.value;
	error = kthread_create(PRI_NONE, KTHREAD_MPSAFE | KTHREAD_MUSTJOIN, NULL, worker, h, &t,
	    "sdkworker%d", req.value);
	if (error == 0) {
		mutex_enter(&h->lock);
		while (!h->done)
			cv_wait(&h->cv, &h->lock);
		mutex_exit(&h->lock);
		error = kthread_join(t);
	}
	req.thread_saw = h->value;
	cv_destroy(&h->cv);
	mutex_destroy(&h->lock);
	kmem_free(h, sizeof(*h));
	if (error != 0)
		return error;
	req.pid = rumpns_proc_pid(curproc);
	req.euid = (int)kauth_cred_geteuid(kauth_cred_get());
	req.base_inits = sdk_base_inits;
	if ((error = copyout(&req, user, sizeof(req))) != 0)
		return error;
	retval[0] = kauth_authorize_generic(kauth_cred_get(), KAUTH_GENERIC_ISSUSER, NULL);
	return 0;
}

RUMP_COMPONENT(RUMP_COMPONENT_SYSCALL)
{
	static const struct rump_onesyscall calls[] = { { SYS_SDKTEST, sdktest } };

	rump_syscall_boot_establish(calls, 1);
}

RUMP_COMPONENT(RUMP_COMPONENT_POSTINIT)
{
	const struct sysctlnode *node = NULL;

	sysctl_createv(NULL, 0, NULL, &node, CTLFLAG_PERMANENT, CTLTYPE_NODE, "sdktest",
	    SYSCTL_DESCR("SDK test"), NULL, 0, NULL, 0, 6 /* CTL_HW */, MIB_SDKTEST, CTL_EOL);
	sysctl_createv(NULL, 0, &node, NULL, CTLFLAG_READWRITE, CTLTYPE_INT, "counter",
	    SYSCTL_DESCR("a counter"), NULL, 0, &counter, 0, 1, CTL_EOL);
	sysctl_createv(NULL, 0, &node, NULL, CTLFLAG_READONLY, CTLTYPE_STRING, "motd",
	    SYSCTL_DESCR("a message"), NULL, 0, motd, sizeof(motd), 2, CTL_EOL);
	aprint_verbose("sdk plugin attached\n");
}
