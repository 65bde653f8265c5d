/*
 * rump/rumpdefs.h -- NetBSD kernel constants and structures, RUMP_-prefixed.
 *
 * Part of this librump re-implementation.  The names and numeric values
 * are NetBSD's (7.99 era, amd64 ABI), so that code written against
 * NetBSD's rump headers compiles unchanged; the header text is our own.
 *
 * A rump kernel always speaks the NetBSD ABI, whatever the host is:
 * use these constants and structures (never the host's <fcntl.h>,
 * <errno.h>, <sys/stat.h>, ...) when talking to rump_sys_*() calls.
 *
 * The first part mirrors the groups found in NetBSD's rumpdefs.h.
 * The second part ("additions") holds further NetBSD constants and
 * NetBSD structure layouts that NetBSD's rumpdefs.h does not provide.
 *
 * Plain C99 / C++; depends only on <stdint.h> and <stddef.h>.
 */

#ifndef _RUMP_RUMPDEFS_H_
#define _RUMP_RUMPDEFS_H_

#include <stdint.h>
#include <stddef.h>

/* ====================================================================
 * Part 1: the groups of NetBSD's rumpdefs.h
 * ==================================================================== */

/* --- open(2) flags ------------------------------------------------- */
#define RUMP_O_RDONLY		0x00000000
#define RUMP_O_WRONLY		0x00000001
#define RUMP_O_RDWR		0x00000002
#define RUMP_O_ACCMODE		0x00000003
#define RUMP_O_NONBLOCK		0x00000004
#define RUMP_O_APPEND		0x00000008
#define RUMP_O_SHLOCK		0x00000010
#define RUMP_O_EXLOCK		0x00000020
#define RUMP_O_ASYNC		0x00000040	/* note: host Linux O_CREAT */
#define RUMP_O_SYNC		0x00000080
#define RUMP_O_NOFOLLOW		0x00000100
#define RUMP_O_CREAT		0x00000200
#define RUMP_O_TRUNC		0x00000400
#define RUMP_O_EXCL		0x00000800
#define RUMP_O_NOCTTY		0x00008000
#define RUMP_O_DSYNC		0x00010000
#define RUMP_O_RSYNC		0x00020000
#define RUMP_O_DIRECT		0x00080000
#define RUMP_O_DIRECTORY	0x00200000
#define RUMP_O_CLOEXEC		0x00400000
#define RUMP_O_SEARCH		0x00800000
#define RUMP_O_NOSIGPIPE	0x01000000

/* --- fcntl(2): lock semantics and file-system control encoding ------ */
#define RUMP_F_WAIT		0x010
#define RUMP_F_FLOCK		0x020
#define RUMP_F_POSIX		0x040

#define RUMP_F_PARAM_MASK	0xfff
#define RUMP_F_PARAM_LEN(x)	(((x) >> 16) & RUMP_F_PARAM_MASK)
#define RUMP_F_FSCTL		(int)0x80000000
#define RUMP_F_FSVOID		(int)0x40000000
#define RUMP_F_FSOUT		(int)0x20000000
#define RUMP_F_FSIN		(int)0x10000000
#define RUMP_F_FSINOUT		(RUMP_F_FSIN | RUMP_F_FSOUT)
#define RUMP_F_FSDIRMASK	(int)0x70000000
#define RUMP_F_FSPRIV		(int)0x00008000

/* Build an fs-control command from direction, number and length. */
#define RUMP__FCN(inout, num, len) \
	(RUMP_F_FSCTL | (inout) | (((len) & RUMP_F_PARAM_MASK) << 16) | (num))
#define RUMP__FCNO(c)		RUMP__FCN(RUMP_F_FSVOID, (c), 0)
#define RUMP__FCNR(c, t)	RUMP__FCN(RUMP_F_FSIN, (c), (int)sizeof(t))
#define RUMP__FCNW(c, t)	RUMP__FCN(RUMP_F_FSOUT, (c), (int)sizeof(t))
#define RUMP__FCNRW(c, t)	RUMP__FCN(RUMP_F_FSINOUT, (c), (int)sizeof(t))
/* The same, for commands private to one file system type. */
#define RUMP__FCN_FSPRIV(inout, fs, num, len) \
	(RUMP_F_FSCTL | RUMP_F_FSPRIV | (inout) | \
	 (((len) & RUMP_F_PARAM_MASK) << 16) | ((fs) << 8) | (num))
#define RUMP__FCNO_FSPRIV(f, c) \
	RUMP__FCN_FSPRIV(RUMP_F_FSVOID, (f), (c), 0)
#define RUMP__FCNR_FSPRIV(f, c, t) \
	RUMP__FCN_FSPRIV(RUMP_F_FSIN, (f), (c), (int)sizeof(t))
#define RUMP__FCNW_FSPRIV(f, c, t) \
	RUMP__FCN_FSPRIV(RUMP_F_FSOUT, (f), (c), (int)sizeof(t))
#define RUMP__FCNRW_FSPRIV(f, c, t) \
	RUMP__FCN_FSPRIV(RUMP_F_FSINOUT, (f), (c), (int)sizeof(t))

/* --- vnodes: types and lock flags ----------------------------------- */
enum rump_vtype {
	RUMP_VNON,	/* 0 */
	RUMP_VREG,	/* 1 */
	RUMP_VDIR,	/* 2 */
	RUMP_VBLK,	/* 3 */
	RUMP_VCHR,	/* 4 */
	RUMP_VLNK,	/* 5 */
	RUMP_VSOCK,	/* 6 */
	RUMP_VFIFO,	/* 7 */
	RUMP_VBAD	/* 8 */
};
#define RUMP_LK_SHARED		0x00000001
#define RUMP_LK_EXCLUSIVE	0x00000002
#define RUMP_LK_NOWAIT		0x00000010
#define RUMP_LK_RETRY		0x00020000

/* --- error numbers (NetBSD numbering, not the host's) --------------- */
#define RUMP_EPERM		1
#define RUMP_ENOENT		2
#define RUMP_ESRCH		3
#define RUMP_EINTR		4
#define RUMP_EIO		5
#define RUMP_ENXIO		6
#define RUMP_E2BIG		7
#define RUMP_ENOEXEC		8
#define RUMP_EBADF		9
#define RUMP_ECHILD		10
#define RUMP_EDEADLK		11	/* Linux uses 35 */
#define RUMP_ENOMEM		12
#define RUMP_EACCES		13
#define RUMP_EFAULT		14
#define RUMP_ENOTBLK		15
#define RUMP_EBUSY		16
#define RUMP_EEXIST		17
#define RUMP_EXDEV		18
#define RUMP_ENODEV		19
#define RUMP_ENOTDIR		20
#define RUMP_EISDIR		21
#define RUMP_EINVAL		22
#define RUMP_ENFILE		23
#define RUMP_EMFILE		24
#define RUMP_ENOTTY		25
#define RUMP_ETXTBSY		26
#define RUMP_EFBIG		27
#define RUMP_ENOSPC		28
#define RUMP_ESPIPE		29
#define RUMP_EROFS		30
#define RUMP_EMLINK		31
#define RUMP_EPIPE		32
#define RUMP_EDOM		33
#define RUMP_ERANGE		34
#define RUMP_EAGAIN		35	/* Linux uses 11 */
#define RUMP_EWOULDBLOCK	RUMP_EAGAIN
#define RUMP_EINPROGRESS	36
#define RUMP_EALREADY		37
#define RUMP_ENOTSOCK		38
#define RUMP_EDESTADDRREQ	39
#define RUMP_EMSGSIZE		40
#define RUMP_EPROTOTYPE		41
#define RUMP_ENOPROTOOPT	42
#define RUMP_EPROTONOSUPPORT	43
#define RUMP_ESOCKTNOSUPPORT	44
#define RUMP_EOPNOTSUPP		45
#define RUMP_EPFNOSUPPORT	46
#define RUMP_EAFNOSUPPORT	47
#define RUMP_EADDRINUSE		48
#define RUMP_EADDRNOTAVAIL	49
#define RUMP_ENETDOWN		50
#define RUMP_ENETUNREACH	51
#define RUMP_ENETRESET		52
#define RUMP_ECONNABORTED	53
#define RUMP_ECONNRESET		54
#define RUMP_ENOBUFS		55
#define RUMP_EISCONN		56
#define RUMP_ENOTCONN		57
#define RUMP_ESHUTDOWN		58
#define RUMP_ETOOMANYREFS	59
#define RUMP_ETIMEDOUT		60
#define RUMP_ECONNREFUSED	61
#define RUMP_ELOOP		62
#define RUMP_ENAMETOOLONG	63
#define RUMP_EHOSTDOWN		64
#define RUMP_EHOSTUNREACH	65
#define RUMP_ENOTEMPTY		66
#define RUMP_EPROCLIM		67
#define RUMP_EUSERS		68
#define RUMP_EDQUOT		69
#define RUMP_ESTALE		70
#define RUMP_EREMOTE		71
#define RUMP_EBADRPC		72
#define RUMP_ERPCMISMATCH	73
#define RUMP_EPROGUNAVAIL	74
#define RUMP_EPROGMISMATCH	75
#define RUMP_EPROCUNAVAIL	76
#define RUMP_ENOLCK		77
#define RUMP_ENOSYS		78
#define RUMP_EFTYPE		79
#define RUMP_EAUTH		80
#define RUMP_ENEEDAUTH		81
#define RUMP_EIDRM		82
#define RUMP_ENOMSG		83
#define RUMP_EOVERFLOW		84
#define RUMP_EILSEQ		85
#define RUMP_ENOTSUP		86
#define RUMP_ECANCELED		87
#define RUMP_EBADMSG		88
#define RUMP_ENODATA		89
#define RUMP_ENOSR		90
#define RUMP_ENOSTR		91
#define RUMP_ETIME		92
#define RUMP_ENOATTR		93
#define RUMP_EMULTIHOP		94
#define RUMP_ENOLINK		95
#define RUMP_EPROTO		96
#define RUMP_ELAST		96	/* highest error number */
/* Kernel-internal pseudo errors; never returned to callers. */
#define RUMP_EJUSTRETURN	(-2)
#define RUMP_ERESTART		(-3)
#define RUMP_EPASSTHROUGH	(-4)
#define RUMP_EDUPFD		(-5)
#define RUMP_EMOVEFD		(-6)

/* --- reboot(2) howto flags and boot verbosity flags ----------------- */
#define RUMP_RB_AUTOBOOT	0
#define RUMP_RB_ASKNAME		0x00000001
#define RUMP_RB_SINGLE		0x00000002
#define RUMP_RB_NOSYNC		0x00000004
#define RUMP_RB_HALT		0x00000008
#define RUMP_RB_INITNAME	0x00000010
#define __RUMP_RB_UNUSED1	0x00000020
#define RUMP_RB_KDB		0x00000040
#define RUMP_RB_RDONLY		0x00000080
#define RUMP_RB_DUMP		0x00000100
#define RUMP_RB_MINIROOT	0x00000200
#define RUMP_RB_STRING		0x00000400
#define RUMP_RB_POWERDOWN	(RUMP_RB_HALT | 0x800)
#define RUMP_RB_USERCONF	0x00001000
#define RUMP_RB_MD1		0x10000000
#define RUMP_RB_MD2		0x20000000
#define RUMP_RB_MD3		0x40000000
#define RUMP_RB_MD4		0x80000000
#define RUMP_AB_NORMAL		0x00000000
#define RUMP_AB_QUIET		0x00010000
#define RUMP_AB_VERBOSE		0x00020000
#define RUMP_AB_SILENT		0x00040000
#define RUMP_AB_DEBUG		0x00080000

/* --- sockets: types, type flags ------------------------------------- */
#define RUMP_SOCK_STREAM	1
#define RUMP_SOCK_DGRAM		2
#define RUMP_SOCK_RAW		3
#define RUMP_SOCK_RDM		4
#define RUMP_SOCK_SEQPACKET	5
#define RUMP_SOCK_CONN_DGRAM	6
#define RUMP_SOCK_DCCP		RUMP_SOCK_CONN_DGRAM
#define RUMP_SOCK_CLOEXEC	0x10000000
#define RUMP_SOCK_NONBLOCK	0x20000000
#define RUMP_SOCK_NOSIGPIPE	0x40000000
#define RUMP_SOCK_FLAGS_MASK	0xf0000000

/* --- address families ------------------------------------------------ */
#define RUMP_AF_UNSPEC		0
#define RUMP_AF_LOCAL		1
#define RUMP_AF_UNIX		RUMP_AF_LOCAL
#define RUMP_AF_INET		2
#define RUMP_AF_IMPLINK		3
#define RUMP_AF_PUP		4
#define RUMP_AF_CHAOS		5
#define RUMP_AF_NS		6
#define RUMP_AF_ISO		7
#define RUMP_AF_OSI		RUMP_AF_ISO
#define RUMP_AF_ECMA		8
#define RUMP_AF_DATAKIT		9
#define RUMP_AF_CCITT		10
#define RUMP_AF_SNA		11
#define RUMP_AF_DECnet		12
#define RUMP_AF_DLI		13
#define RUMP_AF_LAT		14
#define RUMP_AF_HYLINK		15
#define RUMP_AF_APPLETALK	16
#define RUMP_AF_OROUTE		17
#define RUMP_AF_LINK		18
#define RUMP_AF_COIP		20
#define RUMP_AF_CNT		21
#define RUMP_AF_IPX		23
#define RUMP_AF_INET6		24	/* Linux uses 10 */
#define RUMP_AF_ISDN		26
#define RUMP_AF_E164		RUMP_AF_ISDN
#define RUMP_AF_NATM		27
#define RUMP_AF_ARP		28
#define RUMP_AF_BLUETOOTH	31
#define RUMP_AF_IEEE80211	32
#define RUMP_AF_MPLS		33
#define RUMP_AF_ROUTE		34
#define RUMP_AF_MAX		35

/* --- protocol families (same numbers as the address families) ------- */
#define RUMP_PF_UNSPEC		RUMP_AF_UNSPEC
#define RUMP_PF_LOCAL		RUMP_AF_LOCAL
#define RUMP_PF_UNIX		RUMP_PF_LOCAL
#define RUMP_PF_INET		RUMP_AF_INET
#define RUMP_PF_IMPLINK		RUMP_AF_IMPLINK
#define RUMP_PF_PUP		RUMP_AF_PUP
#define RUMP_PF_CHAOS		RUMP_AF_CHAOS
#define RUMP_PF_NS		RUMP_AF_NS
#define RUMP_PF_ISO		RUMP_AF_ISO
#define RUMP_PF_OSI		RUMP_AF_ISO
#define RUMP_PF_ECMA		RUMP_AF_ECMA
#define RUMP_PF_DATAKIT		RUMP_AF_DATAKIT
#define RUMP_PF_CCITT		RUMP_AF_CCITT
#define RUMP_PF_SNA		RUMP_AF_SNA
#define RUMP_PF_DECnet		RUMP_AF_DECnet
#define RUMP_PF_DLI		RUMP_AF_DLI
#define RUMP_PF_LAT		RUMP_AF_LAT
#define RUMP_PF_HYLINK		RUMP_AF_HYLINK
#define RUMP_PF_APPLETALK	RUMP_AF_APPLETALK
#define RUMP_PF_OROUTE		RUMP_AF_OROUTE
#define RUMP_PF_LINK		RUMP_AF_LINK
#define RUMP_PF_COIP		RUMP_AF_COIP
#define RUMP_PF_CNT		RUMP_AF_CNT
#define RUMP_PF_INET6		RUMP_AF_INET6
#define RUMP_PF_IPX		RUMP_AF_IPX
#define RUMP_PF_ISDN		RUMP_AF_ISDN
#define RUMP_PF_E164		RUMP_AF_E164
#define RUMP_PF_NATM		RUMP_AF_NATM
#define RUMP_PF_ARP		RUMP_AF_ARP
#define RUMP_PF_BLUETOOTH	RUMP_AF_BLUETOOTH
#define RUMP_PF_MPLS		RUMP_AF_MPLS
#define RUMP_PF_ROUTE		RUMP_AF_ROUTE
#define RUMP_PF_MAX		RUMP_AF_MAX
/*
 * Families that exist only as protocol families (NetBSD's pseudo_AF_*).
 * NetBSD's generated header leaves these names expanding to undefined
 * identifiers; here they carry NetBSD's numbers.
 */
#define RUMP_PF_XTP		19
#define RUMP_PF_RTIP		22
#define RUMP_PF_PIP		25
#define RUMP_PF_KEY		29

/* --- socket-level options ------------------------------------------- */
#define RUMP_SO_DEBUG		0x0001
#define RUMP_SO_ACCEPTCONN	0x0002
#define RUMP_SO_REUSEADDR	0x0004
#define RUMP_SO_KEEPALIVE	0x0008
#define RUMP_SO_DONTROUTE	0x0010
#define RUMP_SO_BROADCAST	0x0020
#define RUMP_SO_USELOOPBACK	0x0040
#define RUMP_SO_LINGER		0x0080
#define RUMP_SO_OOBINLINE	0x0100
#define RUMP_SO_REUSEPORT	0x0200
#define RUMP_SO_NOSIGPIPE	0x0800
#define RUMP_SO_ACCEPTFILTER	0x1000
#define RUMP_SO_TIMESTAMP	0x2000
#define RUMP_SO_SNDBUF		0x1001
#define RUMP_SO_RCVBUF		0x1002
#define RUMP_SO_SNDLOWAT	0x1003
#define RUMP_SO_RCVLOWAT	0x1004
#define RUMP_SO_ERROR		0x1007
#define RUMP_SO_TYPE		0x1008
#define RUMP_SO_OVERFLOWED	0x1009
#define RUMP_SO_NOHEADER	0x100a
#define RUMP_SO_SNDTIMEO	0x100b
#define RUMP_SO_RCVTIMEO	0x100c
#define RUMP_SOL_SOCKET		0xffff	/* level for the RUMP_SO_* options */

/* --- send/recv message flags ---------------------------------------- */
#define RUMP_MSG_OOB		0x0001
#define RUMP_MSG_PEEK		0x0002
#define RUMP_MSG_DONTROUTE	0x0004
#define RUMP_MSG_EOR		0x0008
#define RUMP_MSG_TRUNC		0x0010
#define RUMP_MSG_CTRUNC		0x0020
#define RUMP_MSG_WAITALL	0x0040
#define RUMP_MSG_DONTWAIT	0x0080
#define RUMP_MSG_BCAST		0x0100
#define RUMP_MSG_MCAST		0x0200
#define RUMP_MSG_NOSIGNAL	0x0400
#define RUMP_MSG_CMSG_CLOEXEC	0x0800
/* NetBSD's generated header spells the previous one this way. */
#define RUMP_MSG_CRUMP_MSG_CLOEXEC RUMP_MSG_CMSG_CLOEXEC
#define RUMP_MSG_NBIO		0x1000
#define RUMP_MSG_WAITFORONE	0x2000
#define RUMP_MSG_NOTIFICATION	0x4000
#define RUMP_MSG_USERFLAGS	0x0ffffff
#define RUMP_MSG_NAMEMBUF	0x1000000
#define RUMP_MSG_CONTROLMBUF	0x2000000
#define RUMP_MSG_IOVUSRSPACE	0x4000000
#define RUMP_MSG_LENUSRSPACE	0x8000000

/* --- IPv4 socket options --------------------------------------------- */
#define RUMP_IP_OPTIONS		1
#define RUMP_IP_HDRINCL		2
#define RUMP_IP_TOS		3
#define RUMP_IP_TTL		4
#define RUMP_IP_RECVOPTS	5
#define RUMP_IP_RECVRETOPTS	6
#define RUMP_IP_RECVDSTADDR	7
#define RUMP_IP_RETOPTS		8
#define RUMP_IP_MULTICAST_IF	9
#define RUMP_IP_MULTICAST_TTL	10
#define RUMP_IP_MULTICAST_LOOP	11
#define RUMP_IP_ADD_MEMBERSHIP	12
#define RUMP_IP_DROP_MEMBERSHIP	13
#define RUMP_IP_PORTALGO	18
#define RUMP_IP_PORTRANGE	19
#define RUMP_IP_RECVIF		20
#define RUMP_IP_ERRORMTU	21
#define RUMP_IP_IPSEC_POLICY	22
#define RUMP_IP_RECVTTL		23
#define RUMP_IP_MINTTL		24
#define RUMP_IP_PKTINFO		25
#define RUMP_IP_RECVPKTINFO	26
#define RUMP_IP_DEFAULT_MULTICAST_TTL	1
#define RUMP_IP_DEFAULT_MULTICAST_LOOP	1
#define RUMP_IP_MAX_MEMBERSHIPS	20
#define RUMP_IP_PORTRANGE_DEFAULT	0
#define RUMP_IP_PORTRANGE_HIGH	1
#define RUMP_IP_PORTRANGE_LOW	2

/* --- IP protocol numbers ---------------------------------------------- */
#define RUMP_IPPROTO_IP		0
#define RUMP_IPPROTO_HOPOPTS	0
#define RUMP_IPPROTO_ICMP	1
#define RUMP_IPPROTO_IGMP	2
#define RUMP_IPPROTO_GGP	3
#define RUMP_IPPROTO_IPV4	4
#define RUMP_IPPROTO_IPIP	4
#define RUMP_IPPROTO_TCP	6
#define RUMP_IPPROTO_EGP	8
#define RUMP_IPPROTO_PUP	12
#define RUMP_IPPROTO_UDP	17
#define RUMP_IPPROTO_IDP	22
#define RUMP_IPPROTO_TP		29
#define RUMP_IPPROTO_DCCP	33
#define RUMP_IPPROTO_IPV6	41
#define RUMP_IPPROTO_ROUTING	43
#define RUMP_IPPROTO_FRAGMENT	44
#define RUMP_IPPROTO_RSVP	46
#define RUMP_IPPROTO_GRE	47
#define RUMP_IPPROTO_ESP	50
#define RUMP_IPPROTO_AH		51
#define RUMP_IPPROTO_MOBILE	55
#define RUMP_IPPROTO_IPV6_ICMP	58
#define RUMP_IPPROTO_ICMPV6	58
#define RUMP_IPPROTO_NONE	59
#define RUMP_IPPROTO_DSTOPTS	60
#define RUMP_IPPROTO_EON	80
#define RUMP_IPPROTO_ETHERIP	97
#define RUMP_IPPROTO_ENCAP	98
#define RUMP_IPPROTO_PIM	103
#define RUMP_IPPROTO_IPCOMP	108
#define RUMP_IPPROTO_VRRP	112
#define RUMP_IPPROTO_CARP	112
#define RUMP_IPPROTO_SCTP	132
#define RUMP_IPPROTO_PFSYNC	240
#define RUMP_IPPROTO_RAW	255
#define RUMP_IPPROTO_MAX	256
#define RUMP_IPPROTO_DONE	257
#define RUMP_IPPROTO_MAXID	(RUMP_IPPROTO_AH + 1)

/* --- TCP limits and socket options ------------------------------------ */
#define RUMP_TCP_MSS		536
#define RUMP_TCP_MINMSS		216
#define RUMP_TCP_MAXWIN		65535
#define RUMP_TCP_MAX_WINSHIFT	14
#define RUMP_TCP_MAXBURST	4
#define RUMP_TCP_NODELAY	1
#define RUMP_TCP_MAXSEG		2
#define RUMP_TCP_KEEPIDLE	3
#define RUMP_TCP_NOPUSH		4
#define RUMP_TCP_KEEPINTVL	5
#define RUMP_TCP_KEEPCNT	6
#define RUMP_TCP_KEEPINIT	7
#define RUMP_TCP_NOOPT		8
#define RUMP_TCP_INFO		9
#define RUMP_TCP_MD5SIG		0x10
#define RUMP_TCP_CONGCTL	0x20

/* --- file system type names for mount(2) ----------------------------- */
#define RUMP_MOUNT_FFS		"ffs"
#define RUMP_MOUNT_UFS		RUMP_MOUNT_FFS
#define RUMP_MOUNT_NFS		"nfs"
#define RUMP_MOUNT_MFS		"mfs"
#define RUMP_MOUNT_MSDOS	"msdos"
#define RUMP_MOUNT_LFS		"lfs"
#define RUMP_MOUNT_FDESC	"fdesc"
#define RUMP_MOUNT_NULL		"null"
#define RUMP_MOUNT_OVERLAY	"overlay"
#define RUMP_MOUNT_UMAP		"umap"
#define RUMP_MOUNT_KERNFS	"kernfs"
#define RUMP_MOUNT_PROCFS	"procfs"
#define RUMP_MOUNT_AFS		"afs"
#define RUMP_MOUNT_CD9660	"cd9660"
#define RUMP_MOUNT_UNION	"union"
#define RUMP_MOUNT_ADOSFS	"adosfs"
#define RUMP_MOUNT_EXT2FS	"ext2fs"
#define RUMP_MOUNT_CFS		"coda"
#define RUMP_MOUNT_CODA		RUMP_MOUNT_CFS
#define RUMP_MOUNT_FILECORE	"filecore"
#define RUMP_MOUNT_NTFS		"ntfs"
#define RUMP_MOUNT_SMBFS	"smbfs"
#define RUMP_MOUNT_PTYFS	"ptyfs"
#define RUMP_MOUNT_TMPFS	"tmpfs"
#define RUMP_MOUNT_UDF		"udf"
#define RUMP_MOUNT_SYSVBFS	"sysvbfs"
#define RUMP_MOUNT_PUFFS	"puffs"
#define RUMP_MOUNT_HFS		"hfs"
#define RUMP_MOUNT_EFS		"efs"
#define RUMP_MOUNT_ZFS		"zfs"
#define RUMP_MOUNT_NILFS	"nilfs"
#define RUMP_MOUNT_RUMPFS	"rumpfs"
#define RUMP_MOUNT_V7FS		"v7fs"

/* --- mount flags ------------------------------------------------------ */
#define RUMP_MNT_RDONLY		0x00000001
#define RUMP_MNT_SYNCHRONOUS	0x00000002
#define RUMP_MNT_NOEXEC		0x00000004
#define RUMP_MNT_NOSUID		0x00000008
#define RUMP_MNT_NODEV		0x00000010
#define RUMP_MNT_UNION		0x00000020
#define RUMP_MNT_ASYNC		0x00000040
#define RUMP_MNT_NOCOREDUMP	0x00008000
#define RUMP_MNT_RELATIME	0x00020000
#define RUMP_MNT_IGNORE		0x00100000
#define RUMP_MNT_DISCARD	0x00800000
#define RUMP_MNT_EXTATTR	0x01000000
#define RUMP_MNT_LOG		0x02000000
#define RUMP_MNT_NOATIME	0x04000000
#define RUMP_MNT_SYMPERM	0x20000000
#define RUMP_MNT_NODEVMTIME	0x40000000
#define RUMP_MNT_SOFTDEP	0x80000000
/* export-related */
#define RUMP_MNT_EXRDONLY	0x00000080
#define RUMP_MNT_EXPORTED	0x00000100
#define RUMP_MNT_DEFEXPORTED	0x00000200
#define RUMP_MNT_EXPORTANON	0x00000400
#define RUMP_MNT_EXKERB		0x00000800
#define RUMP_MNT_EXNORESPORT	0x08000000
#define RUMP_MNT_EXPUBLIC	0x10000000
/* set by the kernel */
#define RUMP_MNT_LOCAL		0x00001000
#define RUMP_MNT_QUOTA		0x00002000
#define RUMP_MNT_ROOTFS		0x00004000
/* operation modifiers passed to mount(2) */
#define RUMP_MNT_UPDATE		0x00010000
#define RUMP_MNT_RELOAD		0x00040000
#define RUMP_MNT_FORCE		0x00080000
#define RUMP_MNT_GETARGS	0x00400000
#define RUMP_MNT_OP_FLAGS \
	(RUMP_MNT_UPDATE | RUMP_MNT_RELOAD | RUMP_MNT_FORCE | RUMP_MNT_GETARGS)
/* sync modes */
#define RUMP_MNT_WAIT		1
#define RUMP_MNT_NOWAIT		2
#define RUMP_MNT_LAZY		3

/* --- ioctl command encoding (BSD layout: direction in the top bits) -- */
#define RUMP_IOCPARM_MASK	0x1fff
#define RUMP_IOCPARM_SHIFT	16
#define RUMP_IOCGROUP_SHIFT	8
#define RUMP_IOCPARM_LEN(x)	(((x) >> RUMP_IOCPARM_SHIFT) & RUMP_IOCPARM_MASK)
#define RUMP_IOCBASECMD(x)	((x) & ~(RUMP_IOCPARM_MASK << RUMP_IOCPARM_SHIFT))
#define RUMP_IOCGROUP(x)	(((x) >> RUMP_IOCGROUP_SHIFT) & 0xff)
/* NetBSD defines this as NBPG (the page size): 4096 on amd64. */
#define RUMP_IOCPARM_MAX	4096
#define RUMP_IOC_VOID		(unsigned long)0x20000000
#define RUMP_IOC_OUT		(unsigned long)0x40000000
#define RUMP_IOC_IN		(unsigned long)0x80000000
#define RUMP_IOC_INOUT		(RUMP_IOC_IN | RUMP_IOC_OUT)
#define RUMP_IOC_DIRMASK	(unsigned long)0xe0000000
#define _RUMP_IOC(inout, group, num, len) \
	((inout) | (((len) & RUMP_IOCPARM_MASK) << RUMP_IOCPARM_SHIFT) | \
	 ((group) << RUMP_IOCGROUP_SHIFT) | (num))
#define _RUMP_IO(g, n)		_RUMP_IOC(RUMP_IOC_VOID, (g), (n), 0)
#define _RUMP_IOR(g, n, t)	_RUMP_IOC(RUMP_IOC_OUT, (g), (n), sizeof(t))
#define _RUMP_IOW(g, n, t)	_RUMP_IOC(RUMP_IOC_IN, (g), (n), sizeof(t))
#define _RUMP_IOWR(g, n, t)	_RUMP_IOC(RUMP_IOC_INOUT, (g), (n), sizeof(t))

/* --- ktrace(2) ---------------------------------------------------------- */
#define RUMP_KTROP_SET		0
#define RUMP_KTROP_CLEAR	1
#define RUMP_KTROP_CLEARFILE	2
#define RUMP_KTROP_MASK		0x3
/* Offset of ktr_pid in NetBSD's struct ktr_header (int, short, short). */
#define RUMP_KTR_SHIMLEN	8
#define RUMP_KTR_SYSCALL	1
#define RUMP_KTR_SYSRET		2
#define RUMP_KTR_NAMEI		3
#define RUMP_KTR_GENIO		4
#define RUMP_KTR_PSIG		5
#define RUMP_KTR_CSW		6
#define RUMP_KTR_EMUL		7
#define RUMP_KTR_USER		8
#define RUMP_KTR_USER_MAXIDLEN	20
#define RUMP_KTR_USER_MAXLEN	2048
#define RUMP_KTR_EXEC_ARG	10
#define RUMP_KTR_EXEC_ENV	11
#define RUMP_KTR_SAUPCALL	13
#define RUMP_KTR_MIB		14
#define RUMP_KTR_EXEC_FD	15
#define RUMP_KTRFAC_MASK	0x00ffffff
#define RUMP_KTRFAC_SYSCALL	(1 << RUMP_KTR_SYSCALL)
#define RUMP_KTRFAC_SYSRET	(1 << RUMP_KTR_SYSRET)
#define RUMP_KTRFAC_NAMEI	(1 << RUMP_KTR_NAMEI)
#define RUMP_KTRFAC_GENIO	(1 << RUMP_KTR_GENIO)
#define RUMP_KTRFAC_PSIG	(1 << RUMP_KTR_PSIG)
#define RUMP_KTRFAC_CSW		(1 << RUMP_KTR_CSW)
#define RUMP_KTRFAC_EMUL	(1 << RUMP_KTR_EMUL)
#define RUMP_KTRFAC_USER	(1 << RUMP_KTR_USER)
#define RUMP_KTRFAC_EXEC_ARG	(1 << RUMP_KTR_EXEC_ARG)
#define RUMP_KTRFAC_EXEC_ENV	(1 << RUMP_KTR_EXEC_ENV)
#define RUMP_KTRFAC_MIB		(1 << RUMP_KTR_MIB)
#define RUMP_KTRFAC_EXEC_FD	(1 << RUMP_KTR_EXEC_FD)
#define RUMP_KTRFAC_PERSISTENT	0x80000000
#define RUMP_KTRFAC_INHERIT	0x40000000
#define RUMP_KTRFAC_TRC_EMUL	0x10000000
#define RUMP_KTRFAC_VER_MASK	0x0f000000
#define RUMP_KTRFAC_VER_SHIFT	24
#define RUMP_KTRFAC_VERSION(tf) \
	(((tf) & RUMP_KTRFAC_VER_MASK) >> RUMP_KTRFAC_VER_SHIFT)
#define RUMP_KTRFACv0		(0 << RUMP_KTRFAC_VER_SHIFT)
#define RUMP_KTRFACv1		(1 << RUMP_KTRFAC_VER_SHIFT)
#define RUMP_KTRFACv2		(2 << RUMP_KTRFAC_VER_SHIFT)

/* --- modctl(2) ----------------------------------------------------------- */
struct rump_modctl_load {
	const char	*ml_filename;	/* module file to load */
	int		 ml_flags;
	const char	*ml_props;	/* property list (text), or NULL */
	size_t		 ml_propslen;
};

enum rump_modctl {
	RUMP_MODCTL_LOAD,	/* 0: argument struct rump_modctl_load * */
	RUMP_MODCTL_UNLOAD,	/* 1: argument module name */
	RUMP_MODCTL_STAT,	/* 2: argument buffer description */
	RUMP_MODCTL_EXISTS	/* 3: is module loading possible */
};

/* --- file system mount arguments ------------------------------------- */
struct rump_ufs_args {
	char	*fspec;		/* device or image to mount */
};

struct rump_sysvbfs_args {
	char	*fspec;		/* device or image to mount */
};

/* --- directory entry as returned by getdents(2) ---------------------- */
struct rump_dirent {
	uint64_t d_fileno;		/* 0: inode number */
	uint16_t d_reclen;		/* 8: bytes in this record */
	uint16_t d_namlen;		/* 10: length of d_name */
	uint8_t  d_type;		/* 12: RUMP_DT_* */
	char	 d_name[511 + 1];	/* 13: NUL-terminated name */
};

/* ====================================================================
 * Part 2: additions of this library.
 *
 * NetBSD's rumpdefs.h does not have the following.  They are provided
 * for convenience; every value is NetBSD's (amd64).  Portable rump
 * clients should not depend on them being present in other
 * implementations of these headers.
 * ==================================================================== */

/* --- fcntl(2) commands, descriptor flags, lock types ------------------ */
#define RUMP_F_DUPFD		0
#define RUMP_F_GETFD		1
#define RUMP_F_SETFD		2
#define RUMP_F_GETFL		3
#define RUMP_F_SETFL		4
#define RUMP_F_GETOWN		5
#define RUMP_F_SETOWN		6
#define RUMP_F_GETLK		7	/* Linux uses 5 */
#define RUMP_F_SETLK		8	/* Linux uses 6 */
#define RUMP_F_SETLKW		9	/* Linux uses 7 */
#define RUMP_F_CLOSEM		10
#define RUMP_F_MAXFD		11
#define RUMP_F_DUPFD_CLOEXEC	12
#define RUMP_F_GETNOSIGPIPE	13
#define RUMP_F_SETNOSIGPIPE	14

#define RUMP_FD_CLOEXEC		1

#define RUMP_F_RDLCK		1	/* Linux uses 0 */
#define RUMP_F_UNLCK		2
#define RUMP_F_WRLCK		3	/* Linux uses 1 */

/* flock(2) operations */
#define RUMP_LOCK_SH		0x01
#define RUMP_LOCK_EX		0x02
#define RUMP_LOCK_NB		0x04
#define RUMP_LOCK_UN		0x08

/* --- file types and mode bits ---------------------------------------- */
#define RUMP_S_IFMT		0170000
#define RUMP_S_IFIFO		0010000
#define RUMP_S_IFCHR		0020000
#define RUMP_S_IFDIR		0040000
#define RUMP_S_IFBLK		0060000
#define RUMP_S_IFREG		0100000
#define RUMP_S_IFLNK		0120000
#define RUMP_S_IFSOCK		0140000
#define RUMP_S_IFWHT		0160000	/* whiteout (NetBSD only) */
#define RUMP_S_ISUID		0004000
#define RUMP_S_ISGID		0002000
#define RUMP_S_ISVTX		0001000
#define RUMP_S_ISTXT		RUMP_S_ISVTX
#define RUMP_S_IRWXU		0000700
#define RUMP_S_IRUSR		0000400
#define RUMP_S_IWUSR		0000200
#define RUMP_S_IXUSR		0000100
#define RUMP_S_IRWXG		0000070
#define RUMP_S_IRGRP		0000040
#define RUMP_S_IWGRP		0000020
#define RUMP_S_IXGRP		0000010
#define RUMP_S_IRWXO		0000007
#define RUMP_S_IROTH		0000004
#define RUMP_S_IWOTH		0000002
#define RUMP_S_IXOTH		0000001

#define RUMP_S_ISDIR(m)		(((m) & RUMP_S_IFMT) == RUMP_S_IFDIR)
#define RUMP_S_ISCHR(m)		(((m) & RUMP_S_IFMT) == RUMP_S_IFCHR)
#define RUMP_S_ISBLK(m)		(((m) & RUMP_S_IFMT) == RUMP_S_IFBLK)
#define RUMP_S_ISREG(m)		(((m) & RUMP_S_IFMT) == RUMP_S_IFREG)
#define RUMP_S_ISFIFO(m)	(((m) & RUMP_S_IFMT) == RUMP_S_IFIFO)
#define RUMP_S_ISLNK(m)		(((m) & RUMP_S_IFMT) == RUMP_S_IFLNK)
#define RUMP_S_ISSOCK(m)	(((m) & RUMP_S_IFMT) == RUMP_S_IFSOCK)
#define RUMP_S_ISWHT(m)		(((m) & RUMP_S_IFMT) == RUMP_S_IFWHT)

/* --- directory entry types (struct rump_dirent d_type) --------------- */
#define RUMP_DT_UNKNOWN		0
#define RUMP_DT_FIFO		1
#define RUMP_DT_CHR		2
#define RUMP_DT_DIR		4
#define RUMP_DT_BLK		6
#define RUMP_DT_REG		8
#define RUMP_DT_LNK		10
#define RUMP_DT_SOCK		12
#define RUMP_DT_WHT		14
#define RUMP_IFTODT(mode)	(((mode) & 0170000) >> 12)
#define RUMP_DTTOIF(dt)		((dt) << 12)

/* --- lseek(2) ----------------------------------------------------------- */
#define RUMP_SEEK_SET		0
#define RUMP_SEEK_CUR		1
#define RUMP_SEEK_END		2

/* --- *at(2) calls --------------------------------------------------------- */
#define RUMP_AT_FDCWD		(-100)
#define RUMP_AT_EACCESS		0x100
#define RUMP_AT_SYMLINK_NOFOLLOW 0x200
#define RUMP_AT_SYMLINK_FOLLOW	0x400
#define RUMP_AT_REMOVEDIR	0x800

/* utimensat(2) special nanosecond values */
#define RUMP_UTIME_NOW		((1 << 30) - 1)
#define RUMP_UTIME_OMIT		((1 << 30) - 2)

/* --- access(2) ------------------------------------------------------------ */
#define RUMP_F_OK		0
#define RUMP_X_OK		0x01
#define RUMP_W_OK		0x02
#define RUMP_R_OK		0x04

/* --- poll(2) --------------------------------------------------------------- */
#define RUMP_POLLIN		0x0001
#define RUMP_POLLPRI		0x0002
#define RUMP_POLLOUT		0x0004
#define RUMP_POLLERR		0x0008
#define RUMP_POLLHUP		0x0010
#define RUMP_POLLNVAL		0x0020
#define RUMP_POLLRDNORM		0x0040
#define RUMP_POLLWRNORM		RUMP_POLLOUT
#define RUMP_POLLRDBAND		0x0080
#define RUMP_POLLWRBAND		0x0100
#define RUMP_INFTIM		(-1)

/* --- shutdown(2) ----------------------------------------------------------- */
#define RUMP_SHUT_RD		0
#define RUMP_SHUT_WR		1
#define RUMP_SHUT_RDWR		2

/* --- clocks and timers ------------------------------------------------------ */
#define RUMP_CLOCK_REALTIME		0
#define RUMP_CLOCK_VIRTUAL		1
#define RUMP_CLOCK_PROF			2
#define RUMP_CLOCK_MONOTONIC		3
#define RUMP_CLOCK_THREAD_CPUTIME_ID	0x20000000
#define RUMP_CLOCK_PROCESS_CPUTIME_ID	0x40000000
#define RUMP_TIMER_RELTIME		0x0
#define RUMP_TIMER_ABSTIME		0x1

/* --- resource limits ----------------------------------------------------------- */
#define RUMP_RLIMIT_CPU		0
#define RUMP_RLIMIT_FSIZE	1
#define RUMP_RLIMIT_DATA	2
#define RUMP_RLIMIT_STACK	3
#define RUMP_RLIMIT_CORE	4
#define RUMP_RLIMIT_RSS		5
#define RUMP_RLIMIT_MEMLOCK	6
#define RUMP_RLIMIT_NPROC	7
#define RUMP_RLIMIT_NOFILE	8
#define RUMP_RLIMIT_SBSIZE	9
#define RUMP_RLIMIT_AS		10
#define RUMP_RLIMIT_VMEM	RUMP_RLIMIT_AS
#define RUMP_RLIMIT_NTHR	11
#define RUMP_RLIM_NLIMITS	12
/* "no limit": the largest signed 64-bit value, as on NetBSD */
#define RUMP_RLIM_INFINITY	((uint64_t)~((uint64_t)1 << 63))
#define RUMP_RLIM_SAVED_MAX	RUMP_RLIM_INFINITY
#define RUMP_RLIM_SAVED_CUR	RUMP_RLIM_INFINITY

/* --- sysctl(3) MIB: top level ------------------------------------------- */
#define RUMP_CTL_UNSPEC		0
#define RUMP_CTL_KERN		1
#define RUMP_CTL_VM		2
#define RUMP_CTL_VFS		3
#define RUMP_CTL_NET		4
#define RUMP_CTL_DEBUG		5
#define RUMP_CTL_HW		6
#define RUMP_CTL_MACHDEP	7
#define RUMP_CTL_USER		8
#define RUMP_CTL_DDB		9
#define RUMP_CTL_PROC		10
#define RUMP_CTL_VENDOR		11
#define RUMP_CTL_EMUL		12
#define RUMP_CTL_SECURITY	13
#define RUMP_CTL_MAXNAME	12	/* most components in a MIB name */
/* sysctl meta requests */
#define RUMP_CTL_EOL		(-1)
#define RUMP_CTL_QUERY		(-2)
#define RUMP_CTL_CREATE		(-3)
#define RUMP_CTL_CREATESYM	(-4)
#define RUMP_CTL_DESTROY	(-5)
#define RUMP_CTL_MMAP		(-6)
#define RUMP_CTL_DESCRIBE	(-7)

/* --- sysctl(3) MIB: kern.* ---------------------------------------------- */
#define RUMP_KERN_OSTYPE		1
#define RUMP_KERN_OSRELEASE		2
#define RUMP_KERN_OSREV			3
#define RUMP_KERN_VERSION		4
#define RUMP_KERN_MAXVNODES		5
#define RUMP_KERN_MAXPROC		6
#define RUMP_KERN_MAXFILES		7
#define RUMP_KERN_ARGMAX		8
#define RUMP_KERN_SECURELVL		9
#define RUMP_KERN_HOSTNAME		10
#define RUMP_KERN_HOSTID		11
#define RUMP_KERN_CLOCKRATE		12
#define RUMP_KERN_VNODE			13
#define RUMP_KERN_PROC			14
#define RUMP_KERN_FILE			15
#define RUMP_KERN_PROF			16
#define RUMP_KERN_POSIX1		17
#define RUMP_KERN_NGROUPS		18
#define RUMP_KERN_JOB_CONTROL		19
#define RUMP_KERN_SAVED_IDS		20
/*
 * kern.boottime: NetBSD moved it from 21 (old timeval layout, now
 * KERN_OBOOTTIME) to 83 (timespec) before 7.99.
 */
#define RUMP_KERN_OBOOTTIME		21
#define RUMP_KERN_DOMAINNAME		22
#define RUMP_KERN_MAXPARTITIONS		23
#define RUMP_KERN_RAWPARTITION		24
#define RUMP_KERN_NTPTIME		25
#define RUMP_KERN_TIMEX			26
#define RUMP_KERN_AUTONICETIME		27
#define RUMP_KERN_AUTONICEVAL		28
#define RUMP_KERN_RTC_OFFSET		29
#define RUMP_KERN_ROOT_DEVICE		30
#define RUMP_KERN_MSGBUFSIZE		31
#define RUMP_KERN_FSYNC			32
#define RUMP_KERN_OLDSYSVMSG		33
#define RUMP_KERN_OLDSYSVSEM		34
#define RUMP_KERN_OLDSYSVSHM		35
#define RUMP_KERN_OLDSHORTCORENAME	36
#define RUMP_KERN_SYNCHRONIZED_IO	37
#define RUMP_KERN_IOV_MAX		38
#define RUMP_KERN_MBUF			39
#define RUMP_KERN_MAPPED_FILES		40
#define RUMP_KERN_MEMLOCK		41
#define RUMP_KERN_MEMLOCK_RANGE		42
#define RUMP_KERN_MEMORY_PROTECTION	43
#define RUMP_KERN_LOGIN_NAME_MAX	44
#define RUMP_KERN_DEFCORENAME		45
#define RUMP_KERN_LOGSIGEXIT		46
#define RUMP_KERN_PROC2			47
#define RUMP_KERN_PROC_ARGS		48
#define RUMP_KERN_FSCALE		49
#define RUMP_KERN_CCPU			50
#define RUMP_KERN_CP_TIME		51
#define RUMP_KERN_OLDSYSVIPC_INFO	52
#define RUMP_KERN_MSGBUF		53
#define RUMP_KERN_CONSDEV		54
#define RUMP_KERN_MAXPTYS		55
#define RUMP_KERN_PIPE			56
#define RUMP_KERN_MAXPHYS		57
#define RUMP_KERN_SBMAX			58
#define RUMP_KERN_TKSTAT		59
#define RUMP_KERN_MONOTONIC_CLOCK	60
#define RUMP_KERN_URND			61
#define RUMP_KERN_LABELSECTOR		62
#define RUMP_KERN_LABELOFFSET		63
#define RUMP_KERN_LWP			64
#define RUMP_KERN_FORKFSLEEP		65
#define RUMP_KERN_POSIX_THREADS		66
#define RUMP_KERN_POSIX_SEMAPHORES	67
#define RUMP_KERN_POSIX_BARRIERS	68
#define RUMP_KERN_POSIX_TIMERS		69
#define RUMP_KERN_POSIX_SPIN_LOCKS	70
#define RUMP_KERN_POSIX_READER_WRITER_LOCKS 71
#define RUMP_KERN_DUMP_ON_PANIC		72
#define RUMP_KERN_SOMAXKVA		73
#define RUMP_KERN_ROOT_PARTITION	74
#define RUMP_KERN_DRIVERS		75
#define RUMP_KERN_BUF			76
#define RUMP_KERN_FILE2			77
#define RUMP_KERN_VERIEXEC		78
#define RUMP_KERN_CP_ID			79
#define RUMP_KERN_HARDCLOCK_TICKS	80
#define RUMP_KERN_ARND			81
#define RUMP_KERN_SYSVIPC		82
#define RUMP_KERN_BOOTTIME		83
#define RUMP_KERN_EVCNT			84

/*
 * kern.proc2: the MIB is { CTL_KERN, KERN_PROC2, op, arg, elemsize,
 * elemcount } and the answer an array of struct rump_kinfo_proc2.
 */
#define RUMP_KERN_PROC_ALL		0	/* arg ignored */
#define RUMP_KERN_PROC_PID		1	/* arg: a pid */
#define RUMP_KERN_PROC_PGRP		2	/* arg: a process group id */
#define RUMP_KERN_PROC_SESSION		3	/* arg: a session id */
#define RUMP_KERN_PROC_TTY		4	/* arg: a tty's dev_t */
#define RUMP_KERN_PROC_UID		5	/* arg: an effective uid */
#define RUMP_KERN_PROC_RUID		6	/* arg: a real uid */
#define RUMP_KERN_PROC_GID		7	/* arg: an effective gid */
#define RUMP_KERN_PROC_RGID		8	/* arg: a real gid */
#define RUMP_KERN_PROC_TTY_NODEV	(-1)	/* KERN_PROC_TTY: no terminal */
#define RUMP_KERN_PROC_TTY_REVOKE	(-2)	/* KERN_PROC_TTY: revoked one */

/* --- sysctl(3) MIB: hw.* -------------------------------------------------- */
#define RUMP_HW_MACHINE		1
#define RUMP_HW_MODEL		2
#define RUMP_HW_NCPU		3
#define RUMP_HW_BYTEORDER	4
#define RUMP_HW_PHYSMEM		5
#define RUMP_HW_USERMEM		6
#define RUMP_HW_PAGESIZE	7
#define RUMP_HW_DISKNAMES	8
#define RUMP_HW_IOSTATS		9
#define RUMP_HW_MACHINE_ARCH	10
#define RUMP_HW_ALIGNBYTES	11
#define RUMP_HW_CNMAGIC		12
#define RUMP_HW_PHYSMEM64	13
#define RUMP_HW_USERMEM64	14
#define RUMP_HW_IOSTATNAMES	15
#define RUMP_HW_NCPUONLINE	16

/* --- limits ------------------------------------------------------------------ */
#define RUMP_MAXPATHLEN		1024
#define RUMP_MAXNAMLEN		511
#define RUMP_MAXHOSTNAMELEN	256
#define RUMP_PIPE_BUF		512
#define RUMP_IOV_MAX		1024

/* --- signals ------------------------------------------------------------------ */
#define RUMP_SIGHUP		1
#define RUMP_SIGINT		2
#define RUMP_SIGQUIT		3
#define RUMP_SIGILL		4
#define RUMP_SIGTRAP		5
#define RUMP_SIGABRT		6
#define RUMP_SIGIOT		RUMP_SIGABRT
#define RUMP_SIGEMT		7
#define RUMP_SIGFPE		8
#define RUMP_SIGKILL		9
#define RUMP_SIGBUS		10
#define RUMP_SIGSEGV		11
#define RUMP_SIGSYS		12
#define RUMP_SIGPIPE		13
#define RUMP_SIGALRM		14
#define RUMP_SIGTERM		15
#define RUMP_SIGURG		16
#define RUMP_SIGSTOP		17
#define RUMP_SIGTSTP		18
#define RUMP_SIGCONT		19
#define RUMP_SIGCHLD		20
#define RUMP_SIGTTIN		21
#define RUMP_SIGTTOU		22
#define RUMP_SIGIO		23
#define RUMP_SIGXCPU		24
#define RUMP_SIGXFSZ		25
#define RUMP_SIGVTALRM		26
#define RUMP_SIGPROF		27
#define RUMP_SIGWINCH		28
#define RUMP_SIGINFO		29
#define RUMP_SIGUSR1		30
#define RUMP_SIGUSR2		31
#define RUMP_SIGPWR		32
#define RUMP_SIGRTMIN		33
#define RUMP_SIGRTMAX		63
#define RUMP_NSIG		64

/* sigprocmask(2) operations */
#define RUMP_SIG_BLOCK		1
#define RUMP_SIG_UNBLOCK	2
#define RUMP_SIG_SETMASK	3

/* --- structures with NetBSD's layout ---------------------------------------- */

/* struct timespec: 16 bytes on amd64 */
struct rump_timespec {
	int64_t	tv_sec;			/* 0 */
	long	tv_nsec;		/* 8 */
};

/*
 * struct timeval: tv_usec is a 32-bit int; on amd64 the compiler pads
 * the structure to 16 bytes (alignment of tv_sec).  No padding member
 * is named, so that { sec, usec } initializers stay warning-free.
 */
struct rump_timeval {
	int64_t	tv_sec;			/* 0 */
	int32_t	tv_usec;		/* 8 */
};

struct rump_timezone {
	int32_t	tz_minuteswest;		/* 0: minutes west of Greenwich */
	int32_t	tz_dsttime;		/* 4: type of DST correction */
};

/* struct stat (__stat50): 152 bytes on amd64 */
struct rump_stat {
	uint64_t		st_dev;		/*   0 */
	uint32_t		st_mode;	/*   8 */
	uint32_t		__rump_st_pad0;	/*  12 */
	uint64_t		st_ino;		/*  16 */
	uint32_t		st_nlink;	/*  24 */
	uint32_t		st_uid;		/*  28 */
	uint32_t		st_gid;		/*  32 */
	uint32_t		__rump_st_pad1;	/*  36 */
	uint64_t		st_rdev;	/*  40 */
	struct rump_timespec	st_atim;	/*  48 */
	struct rump_timespec	st_mtim;	/*  64 */
	struct rump_timespec	st_ctim;	/*  80 */
	struct rump_timespec	st_birthtim;	/*  96 */
	int64_t			st_size;	/* 112 */
	int64_t			st_blocks;	/* 120 */
	int32_t			st_blksize;	/* 128 */
	uint32_t		st_flags;	/* 132 */
	uint32_t		st_gen;		/* 136 */
	uint32_t		st_spare[2];	/* 140 */
	uint32_t		__rump_st_pad2;	/* 148 */
};

struct rump_pollfd {
	int32_t	fd;			/* 0 */
	int16_t	events;			/* 4 */
	int16_t	revents;		/* 6 */
};

struct rump_rlimit {
	uint64_t rlim_cur;		/* 0 */
	uint64_t rlim_max;		/* 8 */
};

struct rump_iovec {
	void	*iov_base;		/* 0 */
	size_t	 iov_len;		/* 8 on LP64 */
};

/*
 * struct kinfo_proc2 (kern.proc2): 680 bytes, the same on every data model.
 * NetBSD only appends fields; a caller names the size it knows.
 */
#define RUMP_KI_NGROUPS		16
#define RUMP_KI_MAXCOMLEN	24
#define RUMP_KI_WMESGLEN	8
#define RUMP_KI_MAXLOGNAME	24
#define RUMP_KI_MAXEMULLEN	16
#define RUMP_KI_NOCPU		(~(uint64_t)0)

typedef struct {
	uint32_t __bits[4];		/* signal n is bit n-1 */
} rump_ki_sigset_t;

/* p_stat (an lwp state, LS*) and p_realstat (a process state, S*) */
#define RUMP_LSIDL		1
#define RUMP_LSRUN		2
#define RUMP_LSSLEEP		3
#define RUMP_LSSTOP		4
#define RUMP_LSZOMB		5
#define RUMP_LSDEAD		6
#define RUMP_LSONPROC		7
#define RUMP_LSSUSPENDED	8
#define RUMP_SIDL		1
#define RUMP_SACTIVE		2
#define RUMP_SDYING		3
#define RUMP_SSTOP		4
#define RUMP_SZOMB		5
#define RUMP_SDEAD		6

/* p_flag and p_realflag bits */
#define RUMP_P_ADVLOCK		0x00000001
#define RUMP_P_CONTROLT		0x00000002
#define RUMP_L_INMEM		0x00000004
#define RUMP_P_INMEM		RUMP_L_INMEM
#define RUMP_P_NOCLDSTOP	0x00000008
#define RUMP_P_PPWAIT		0x00000010
#define RUMP_P_PROFIL		0x00000020
#define RUMP_L_SELECT		0x00000040
#define RUMP_L_SINTR		0x00000080
#define RUMP_P_SUGID		0x00000100
#define RUMP_L_SYSTEM		0x00000200
#define RUMP_P_SYSTEM		RUMP_L_SYSTEM
#define RUMP_P_TRACED		0x00000800
#define RUMP_P_WAITED		0x00001000
#define RUMP_P_WEXIT		0x00002000
#define RUMP_P_EXEC		0x00004000
#define RUMP_P_NOCLDWAIT	0x00020000
#define RUMP_P_32		0x00040000
#define RUMP_P_CLDSIGIGN	0x00080000

/* p_eflag bits */
#define RUMP_EPROC_CTTY		0x01	/* has a controlling terminal */
#define RUMP_EPROC_SLEADER	0x02	/* leads its session */

/* p_tpgid without a terminal; p_tdev without one is (uint32_t)NODEV */
#define RUMP_NO_PGID		(-1)
#define RUMP_KI_NODEV		0xffffffffU

struct rump_kinfo_proc2 {
	uint64_t p_forw;		/*   0: kernel addresses ... */
	uint64_t p_back;		/*   8 */
	uint64_t p_paddr;		/*  16 */
	uint64_t p_addr;		/*  24 */
	uint64_t p_fd;			/*  32 */
	uint64_t p_cwdi;		/*  40 */
	uint64_t p_stats;		/*  48 */
	uint64_t p_limit;		/*  56 */
	uint64_t p_vmspace;		/*  64 */
	uint64_t p_sigacts;		/*  72 */
	uint64_t p_sess;		/*  80 */
	uint64_t p_tsess;		/*  88 */
	uint64_t p_ru;			/*  96: ... (0 in a rump kernel) */
	int32_t	 p_eflag;		/* 104: RUMP_EPROC_* */
	int32_t	 p_exitsig;		/* 108 */
	int32_t	 p_flag;		/* 112: RUMP_P_*, RUMP_L_* */
	int32_t	 p_pid;			/* 116 */
	int32_t	 p_ppid;		/* 120 */
	int32_t	 p_sid;			/* 124 */
	int32_t	 p__pgid;		/* 128: process group */
	int32_t	 p_tpgid;		/* 132: terminal's process group */
	uint32_t p_uid;			/* 136: effective uid */
	uint32_t p_ruid;		/* 140: real uid */
	uint32_t p_gid;			/* 144: effective gid */
	uint32_t p_rgid;		/* 148: real gid */
	uint32_t p_groups[RUMP_KI_NGROUPS];	/* 152: supplementary groups */
	int16_t	 p_ngroups;		/* 216 */
	int16_t	 p_jobc;		/* 218 */
	uint32_t p_tdev;		/* 220: controlling terminal */
	uint32_t p_estcpu;		/* 224 */
	uint32_t p_rtime_sec;		/* 228 */
	uint32_t p_rtime_usec;		/* 232 */
	int32_t	 p_cpticks;		/* 236 */
	uint32_t p_pctcpu;		/* 240 */
	uint32_t p_swtime;		/* 244 */
	uint32_t p_slptime;		/* 248 */
	int32_t	 p_schedflags;		/* 252 */
	uint64_t p_uticks;		/* 256 */
	uint64_t p_sticks;		/* 264 */
	uint64_t p_iticks;		/* 272 */
	uint64_t p_tracep;		/* 280 */
	int32_t	 p_traceflag;		/* 288 */
	int32_t	 p_holdcnt;		/* 292 */
	rump_ki_sigset_t p_siglist;	/* 296: pending (lwps') */
	rump_ki_sigset_t p_sigmask;	/* 312: blocked, plus pending */
	rump_ki_sigset_t p_sigignore;	/* 328 */
	rump_ki_sigset_t p_sigcatch;	/* 344 */
	int8_t	 p_stat;		/* 360: RUMP_LS* */
	uint8_t	 p_priority;		/* 361 */
	uint8_t	 p_usrpri;		/* 362 */
	uint8_t	 p_nice;		/* 363: 20 is nice 0 */
	uint16_t p_xstat;		/* 364 */
	uint16_t p_acflag;		/* 366 */
	char	 p_comm[RUMP_KI_MAXCOMLEN];	/* 368: command, NUL-terminated */
	char	 p_wmesg[RUMP_KI_WMESGLEN];	/* 392 */
	uint64_t p_wchan;		/* 400 */
	char	 p_login[RUMP_KI_MAXLOGNAME];	/* 408: session's login name */
	int32_t	 p_vm_rssize;		/* 432 */
	int32_t	 p_vm_tsize;		/* 436 */
	int32_t	 p_vm_dsize;		/* 440 */
	int32_t	 p_vm_ssize;		/* 444 */
	int64_t	 p_uvalid;		/* 448: the p_u* fields are valid */
	uint32_t p_ustart_sec;		/* 456: start time */
	uint32_t p_ustart_usec;		/* 460 */
	uint32_t p_uutime_sec;		/* 464 */
	uint32_t p_uutime_usec;		/* 468 */
	uint32_t p_ustime_sec;		/* 472 */
	uint32_t p_ustime_usec;		/* 476 */
	uint64_t p_uru_maxrss;		/* 480 */
	uint64_t p_uru_ixrss;		/* 488 */
	uint64_t p_uru_idrss;		/* 496 */
	uint64_t p_uru_isrss;		/* 504 */
	uint64_t p_uru_minflt;		/* 512 */
	uint64_t p_uru_majflt;		/* 520 */
	uint64_t p_uru_nswap;		/* 528 */
	uint64_t p_uru_inblock;		/* 536 */
	uint64_t p_uru_oublock;		/* 544 */
	uint64_t p_uru_msgsnd;		/* 552 */
	uint64_t p_uru_msgrcv;		/* 560 */
	uint64_t p_uru_nsignals;	/* 568 */
	uint64_t p_uru_nvcsw;		/* 576 */
	uint64_t p_uru_nivcsw;		/* 584 */
	uint32_t p_uctime_sec;		/* 592 */
	uint32_t p_uctime_usec;		/* 596 */
	uint64_t p_cpuid;		/* 600 */
	uint64_t p_realflag;		/* 608: p_flag without lwp bits */
	uint64_t p_nlwps;		/* 616 */
	uint64_t p_nrlwps;		/* 624 */
	uint64_t p_realstat;		/* 632: RUMP_S* */
	uint32_t p_svuid;		/* 640: saved uid */
	uint32_t p_svgid;		/* 644: saved gid */
	char	 p_ename[RUMP_KI_MAXEMULLEN];	/* 648: "netbsd" */
	int64_t	 p_vm_vsize;		/* 664 */
	int64_t	 p_vm_msize;		/* 672 */
};

/* --- compile-time layout checks ---------------------------------------------- */

/*
 * __RUMP_CTASSERT(cond, tag): fail compilation when cond is false.
 * C11 and C++11 use the language's static assertion; older dialects use
 * a file-scope typedef of a negative-sized array (no -Wunused warning
 * is issued for file-scope typedefs).
 */
#ifndef __RUMP_CTASSERT
#if defined(__cplusplus) && __cplusplus >= 201103L
#define __RUMP_CTASSERT(cond, tag)	static_assert(cond, #tag)
#elif !defined(__cplusplus) && defined(__STDC_VERSION__) && \
    __STDC_VERSION__ >= 201112L
#define __RUMP_CTASSERT(cond, tag)	_Static_assert(cond, #tag)
#else
#define __RUMP_CTASSERT(cond, tag) \
	typedef char __rump_ctassert_##tag[(cond) ? 1 : -1]
#endif
#endif

/* rump_dirent does not depend on the data model. */
__RUMP_CTASSERT(sizeof(struct rump_dirent) == 528, rumpdefs_dirent_size);
__RUMP_CTASSERT(offsetof(struct rump_dirent, d_reclen) == 8,
    rumpdefs_dirent_reclen);
__RUMP_CTASSERT(offsetof(struct rump_dirent, d_type) == 12,
    rumpdefs_dirent_type);
__RUMP_CTASSERT(offsetof(struct rump_dirent, d_name) == 13,
    rumpdefs_dirent_name);
__RUMP_CTASSERT(sizeof(struct rump_pollfd) == 8, rumpdefs_pollfd_size);
__RUMP_CTASSERT(sizeof(struct rump_rlimit) == 16, rumpdefs_rlimit_size);
__RUMP_CTASSERT(sizeof(struct rump_timezone) == 8, rumpdefs_timezone_size);
/* rump_kinfo_proc2 has only fixed-width fields, on their natural alignment. */
__RUMP_CTASSERT(sizeof(struct rump_kinfo_proc2) == 680,
    rumpdefs_kinfo_proc2_size);
__RUMP_CTASSERT(offsetof(struct rump_kinfo_proc2, p_pid) == 116,
    rumpdefs_kinfo_proc2_pid);
__RUMP_CTASSERT(offsetof(struct rump_kinfo_proc2, p_groups) == 152,
    rumpdefs_kinfo_proc2_groups);
__RUMP_CTASSERT(offsetof(struct rump_kinfo_proc2, p_tdev) == 220,
    rumpdefs_kinfo_proc2_tdev);
__RUMP_CTASSERT(offsetof(struct rump_kinfo_proc2, p_stat) == 360,
    rumpdefs_kinfo_proc2_stat);
__RUMP_CTASSERT(offsetof(struct rump_kinfo_proc2, p_comm) == 368,
    rumpdefs_kinfo_proc2_comm);
__RUMP_CTASSERT(offsetof(struct rump_kinfo_proc2, p_login) == 408,
    rumpdefs_kinfo_proc2_login);
__RUMP_CTASSERT(offsetof(struct rump_kinfo_proc2, p_ustart_sec) == 456,
    rumpdefs_kinfo_proc2_ustart);
__RUMP_CTASSERT(offsetof(struct rump_kinfo_proc2, p_realflag) == 608,
    rumpdefs_kinfo_proc2_realflag);
__RUMP_CTASSERT(offsetof(struct rump_kinfo_proc2, p_svuid) == 640,
    rumpdefs_kinfo_proc2_svuid);
__RUMP_CTASSERT(offsetof(struct rump_kinfo_proc2, p_vm_msize) == 672,
    rumpdefs_kinfo_proc2_vm_msize);

/* The rest is the amd64 (LP64) layout. */
#if defined(__LP64__) || defined(_LP64)
__RUMP_CTASSERT(sizeof(struct rump_timespec) == 16, rumpdefs_timespec_size);
__RUMP_CTASSERT(sizeof(struct rump_timeval) == 16, rumpdefs_timeval_size);
__RUMP_CTASSERT(sizeof(struct rump_iovec) == 16, rumpdefs_iovec_size);
__RUMP_CTASSERT(sizeof(struct rump_stat) == 152, rumpdefs_stat_size);
__RUMP_CTASSERT(offsetof(struct rump_stat, st_mode) == 8,
    rumpdefs_stat_mode);
__RUMP_CTASSERT(offsetof(struct rump_stat, st_ino) == 16,
    rumpdefs_stat_ino);
__RUMP_CTASSERT(offsetof(struct rump_stat, st_nlink) == 24,
    rumpdefs_stat_nlink);
__RUMP_CTASSERT(offsetof(struct rump_stat, st_uid) == 28,
    rumpdefs_stat_uid);
__RUMP_CTASSERT(offsetof(struct rump_stat, st_gid) == 32,
    rumpdefs_stat_gid);
__RUMP_CTASSERT(offsetof(struct rump_stat, st_rdev) == 40,
    rumpdefs_stat_rdev);
__RUMP_CTASSERT(offsetof(struct rump_stat, st_atim) == 48,
    rumpdefs_stat_atim);
__RUMP_CTASSERT(offsetof(struct rump_stat, st_mtim) == 64,
    rumpdefs_stat_mtim);
__RUMP_CTASSERT(offsetof(struct rump_stat, st_ctim) == 80,
    rumpdefs_stat_ctim);
__RUMP_CTASSERT(offsetof(struct rump_stat, st_birthtim) == 96,
    rumpdefs_stat_birthtim);
__RUMP_CTASSERT(offsetof(struct rump_stat, st_size) == 112,
    rumpdefs_stat_size_field);
__RUMP_CTASSERT(offsetof(struct rump_stat, st_blocks) == 120,
    rumpdefs_stat_blocks);
__RUMP_CTASSERT(offsetof(struct rump_stat, st_blksize) == 128,
    rumpdefs_stat_blksize);
__RUMP_CTASSERT(offsetof(struct rump_stat, st_flags) == 132,
    rumpdefs_stat_flags);
__RUMP_CTASSERT(offsetof(struct rump_stat, st_gen) == 136,
    rumpdefs_stat_gen);
__RUMP_CTASSERT(offsetof(struct rump_stat, st_spare) == 140,
    rumpdefs_stat_spare);
__RUMP_CTASSERT(sizeof(struct rump_modctl_load) == 32,
    rumpdefs_modctl_load_size);
#endif /* LP64 */

#endif /* _RUMP_RUMPDEFS_H_ */
