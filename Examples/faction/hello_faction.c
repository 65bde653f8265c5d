/*
 * hello_faction: a faction plugin, written against <rump/rump_faction.h>.
 *
 * It adds
 *   - a system call, number 500 (SYS_HELLO): hello(char *buf, size_t len)
 *     copies "hello from pid N, uid U" into the caller's buffer;
 *   - a character device, /dev/hello: reading it gives a greeting, writing
 *     it replaces the greeting; ioctl HELLOGETCOUNT reads how often it was
 *     opened;
 *   - a sysctl node, hw.hello.opens, with the same count.
 *
 * Build:  cc -shared -fPIC -o libhello_faction.so hello_faction.c \
 *             $(pkg-config --cflags --libs rump)
 * Load it by linking it into a program (-lhello_faction) or, after
 * rump_init(), with rump_faction_load("path/to/libhello_faction.so").
 */
#include <stdio.h>
#include <string.h>

#include <rump/rump_faction.h>

#define SYS_HELLO	500
#define HELLOGETCOUNT	0x40046801	/* _IOR('h', 1, int) */

static kmutex_t hello_lock;
static char greeting[64] = "Hello, world!\n";
static int opens;

static int
hello_open(dev_t dev, int flag, int devtype, struct lwp *l)
{
	(void)dev; (void)flag; (void)devtype; (void)l;
	mutex_enter(&hello_lock);
	opens++;
	mutex_exit(&hello_lock);
	return 0;
}

static int
hello_close(dev_t dev, int flag, int devtype, struct lwp *l)
{
	(void)dev; (void)flag; (void)devtype; (void)l;
	return 0;
}

/* The greeting, from the uio's offset on. */
static int
hello_read(dev_t dev, struct uio *uio, int flag)
{
	char copy[sizeof(greeting)];
	size_t len;

	(void)dev; (void)flag;
	mutex_enter(&hello_lock);
	memcpy(copy, greeting, sizeof(copy));
	mutex_exit(&hello_lock);
	len = strlen(copy);
	return uiomove(copy, len < rumpns_uio_resid(uio) ? len : rumpns_uio_resid(uio), uio);
}

static int
hello_write(dev_t dev, struct uio *uio, int flag)
{
	char buf[sizeof(greeting)];
	size_t len = rumpns_uio_resid(uio);
	int error;

	(void)dev; (void)flag;
	if (len >= sizeof(buf))
		return 27;	/* EFBIG */
	if ((error = uiomove(buf, len, uio)) != 0)
		return error;
	buf[len] = '\0';
	mutex_enter(&hello_lock);
	memcpy(greeting, buf, len + 1);
	mutex_exit(&hello_lock);
	return 0;
}

static int
hello_ioctl(dev_t dev, unsigned long cmd, void *data, int flag, struct lwp *l)
{
	(void)dev; (void)flag; (void)l;
	if (cmd != HELLOGETCOUNT)
		return 25;	/* ENOTTY */
	mutex_enter(&hello_lock);
	*(int *)data = opens;
	mutex_exit(&hello_lock);
	return 0;
}

static const struct cdevsw hello_cdevsw = {
	.d_open = hello_open,
	.d_close = hello_close,
	.d_read = hello_read,
	.d_write = hello_write,
	.d_ioctl = hello_ioctl,
	.d_poll = NULL,
	.d_flag = D_OTHER,
};

/* hello(char *buf, size_t len): one 8-byte slot per argument. */
static int
sys_hello(struct lwp *l, const void *args, long *retval)
{
	const long *slot = args;
	char msg[64];
	size_t n;
	int error;

	if (args == NULL)
		return 14;	/* EFAULT */
	n = (size_t)snprintf(msg, sizeof(msg), "hello from pid %d, uid %u",
	    rumpns_proc_pid(curproc), (unsigned)kauth_cred_geteuid(kauth_cred_get()));
	(void)l;
	if ((size_t)slot[1] < n + 1)
		return 63;	/* ENAMETOOLONG: the buffer is too small */
	if ((error = copyout(msg, (void *)slot[0], n + 1)) != 0)
		return error;
	retval[0] = (long)n;
	return 0;
}


/* The device and its node, when the module initialises. */
MODULE(MODULE_CLASS_DRIVER, hello, NULL);

static int
hello_modcmd(modcmd_t cmd, void *arg)
{
	devmajor_t bmajor = NODEVMAJOR, cmajor = NODEVMAJOR;
	const struct sysctlnode *node = NULL;
	int error;

	(void)arg;
	switch (cmd) {
	case MODULE_CMD_INIT:
		mutex_init(&hello_lock, MUTEX_DEFAULT, IPL_NONE);
		error = devsw_attach("hello", NULL, &bmajor, &hello_cdevsw, &cmajor);
		if (error != 0)
			return error;
		error = rump_dev_makenode("hello", cmajor, 0, 0666);
		if (error != 0) {
			devsw_detach(NULL, &hello_cdevsw);
			return error;
		}
		sysctl_createv(NULL, 0, NULL, &node, 0, CTLTYPE_NODE, "hello", NULL,
		    NULL, 0, NULL, 0, 6 /* CTL_HW */, CTL_CREATE, CTL_EOL);
		sysctl_createv(NULL, 0, &node, NULL, CTLFLAG_READONLY, CTLTYPE_INT, "opens",
		    NULL, NULL, 0, &opens, 0, 1, CTL_EOL);
		aprint_verbose("hello: /dev/hello is major %d\n", cmajor);
		return 0;
	case MODULE_CMD_FINI:
		return devsw_detach(NULL, &hello_cdevsw);
	default:
		return 25;	/* ENOTTY */
	}
}

/* The system call, from a SYSCALL component. */
RUMP_COMPONENT(RUMP_COMPONENT_SYSCALL)
{
	static const struct rump_onesyscall calls[] = { { SYS_HELLO, sys_hello } };

	rump_syscall_boot_establish(calls, 1);
}
