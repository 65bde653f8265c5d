// The net faction (librumpnet.so) and its domains: attaching the faction
// installs the socket system calls; librumpnet_local.so then attaches the
// local domain (AF_LOCAL) from its RUMP_COMPONENT_NET component.

enum NetFaction {
    /// Components.attachFaction[.factionNet]: switch the socket calls on.
    static func attach() {
        SyscallTable.install(provider: .net)
    }
}

/// Attach a protocol family's domain (a net component calls this). Returns
/// 0, or EAFNOSUPPORT for a family this kernel has no domain for.
@c(rumpns_net_attach_domain)
public func rumpns_net_attach_domain(_ family: Int32) -> Int32 {
    guard family == SocketConst.afLocal else { return Errno.EAFNOSUPPORT.rawValue }
    SocketDomains.attach(family)
    return 0
}
