// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Tern's kernel plane: a TC (clsact ingress) program that forwards TURN ChannelData between a bound UDP client
 * and its UDP peer without waking user space (issue #17).
 *
 *  client -> peer: ChannelData sent to the listener leaves as the bare payload from the relayed address to the peer.
 *  peer -> client: a datagram sent to the relayed address leaves as ChannelData from the listener to the client.
 *
 * Anything this program does not own or cannot forward safely passes on unchanged with TC_ACT_UNSPEC, so later
 * filters (another relay's) still run and user space sees the packet as before.
 *
 * The UDP header never moves: the payload is shifted by 4 bytes inside the packet and the tail trimmed or grown.
 * bpf_skb_adjust_room would move the UDP header instead and leave a CHECKSUM_PARTIAL skb's csum_start pointing at
 * the old place, so whatever completes the checksum later (the receiving stack, a NIC) would start at the wrong byte.
 *
 * Compiled by build.sh next to this file into the committed resource tern_tc.bpf.o (see README, "Kernel plane").
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/pkt_cls.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

/* One route per bound channel and direction; 65536 is far above what a relay host sees (RFC 8656 caps a client at
 * 4096 channels, and a relay of this size serves a few thousand calls) while bounding kernel memory. No
 * preallocation: entries cost memory only when installed (about 200 bytes each, 13 MB per map when full);
 * the counters array is preallocated: 32 bytes a slot, 2 MB. */
#define TERN_MAX_ROUTES 65536
/* The payload is shifted in chunks; 32 chunks of 64 bytes bound the loop. Larger datagrams go to user space. */
#define CHUNK 64
#define MAX_CHUNKS 32
#define MAX_PAYLOAD (CHUNK * MAX_CHUNKS)
#define CHANNEL_DATA_HEADER 4
#define LOOPBACK_IFINDEX 1
#define TERN_TTL 64

/* Addresses in network byte order; an IPv4 address sits in w[0] with w[1..3] zero. */
struct tern_addr {
	__u32 w[4];
};

/* Client side: which ChannelData the client sends to which listener, for which channel. */
struct client_key {
	struct tern_addr client;
	struct tern_addr listener;
	__u16 client_port;   /* network order */
	__u16 listener_port; /* network order */
	__u16 channel;       /* host order */
	__u8 family;         /* 4 or 6 */
	__u8 pad;
};

/* Peer side: a datagram from a peer to a relayed address. */
struct peer_key {
	struct tern_addr peer;
	struct tern_addr relayed;
	__u16 peer_port;    /* network order */
	__u16 relayed_port; /* network order */
	__u8 family;
	__u8 pad[3];
};

/* struct route's flags: IPv4 DF set on what leaves, else cleared (RFC 8656 section 14: the relay sets DF only when
 * the client asked with DONT-FRAGMENT, never because the client's own packet carried it). IPv6 has no DF. */
#define ROUTE_DF 1
#define IP_DF 0x4000

/* Where the packet goes. Client side: src = relayed, dst = peer. Peer side: src = listener, dst = client,
 * channel = the header to add. Both directions of one channel share a counters slot. */
struct route {
	struct tern_addr src;
	struct tern_addr dst;
	__u16 src_port; /* network order */
	__u16 dst_port; /* network order */
	__u16 channel;  /* host order */
	__u8 family;    /* of src and dst: 4 or 6 */
	__u8 flags;     /* ROUTE_DF */
	__u64 deadline_ns; /* bpf_ktime_get_ns (CLOCK_MONOTONIC): not forwarded at or after it */
	__u32 slot;        /* index into tern_counters */
	__u32 pad2;
};

/* Counters live apart from the routes so that user space can renew a route (new deadline) without a
 * read-modify-write race against the counting. Bytes are payload bytes, without the ChannelData header. */
struct counters {
	__u64 packets_to_peer;
	__u64 bytes_to_peer;
	__u64 packets_to_client;
	__u64 bytes_to_client;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, TERN_MAX_ROUTES);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct client_key);
	__type(value, struct route);
} tern_client_routes SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, TERN_MAX_ROUTES);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct peer_key);
	__type(value, struct route);
} tern_peer_routes SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, TERN_MAX_ROUTES);
	__type(key, __u32);
	__type(value, struct counters);
} tern_counters SEC(".maps");

/* What the parser learned of an IPv4/IPv6 UDP packet. */
struct packet {
	struct tern_addr saddr;
	struct tern_addr daddr;
	__u32 l3_off;
	__u32 udp_off;
	__u16 sport;
	__u16 dport;
	__u16 udp_len;
	__u16 udp_csum;
	__u8 family;
};

static __always_inline int parse(struct __sk_buff *skb, struct packet *p)
{
	void *data = (void *)(long)skb->data;
	void *end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;

	if ((void *)(eth + 1) > end)
		return -1;
	p->l3_off = sizeof(*eth);
	if (eth->h_proto == bpf_htons(ETH_P_IP)) {
		struct iphdr *ip = (void *)(eth + 1);
		struct udphdr *udp = (void *)(ip + 1);

		if ((void *)(udp + 1) > end)
			return -1;
		/* options, fragments and anything but UDP stay in user space */
		if (ip->ihl != 5 || ip->protocol != IPPROTO_UDP || (ip->frag_off & bpf_htons(0x3fff)))
			return -1;
		if (bpf_ntohs(ip->tot_len) != sizeof(*ip) + bpf_ntohs(udp->len))
			return -1;
		p->family = 4;
		p->saddr.w[0] = ip->saddr;
		p->daddr.w[0] = ip->daddr;
		p->udp_off = p->l3_off + sizeof(*ip);
		p->sport = udp->source;
		p->dport = udp->dest;
		p->udp_len = bpf_ntohs(udp->len);
		p->udp_csum = udp->check;
		return 0;
	}
	if (eth->h_proto == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6 = (void *)(eth + 1);
		struct udphdr *udp = (void *)(ip6 + 1);

		if ((void *)(udp + 1) > end)
			return -1;
		/* extension headers stay in user space */
		if (ip6->nexthdr != IPPROTO_UDP || bpf_ntohs(ip6->payload_len) != bpf_ntohs(udp->len))
			return -1;
		if (udp->check == 0) /* not allowed over IPv6 */
			return -1;
		p->family = 6;
		__builtin_memcpy(&p->saddr, &ip6->saddr, 16);
		__builtin_memcpy(&p->daddr, &ip6->daddr, 16);
		p->udp_off = p->l3_off + sizeof(*ip6);
		p->sport = udp->source;
		p->dport = udp->dest;
		p->udp_len = bpf_ntohs(udp->len);
		p->udp_csum = udp->check;
		return 0;
	}
	return -1;
}

/* Shifting the payload by 4 bytes, one bpf_loop step per chunk: the verifier checks the step once, where a plain
 * loop makes it walk every iteration on every path (over its 1M instruction limit at 32 chunks). */
struct shift {
	struct __sk_buff *skb;
	__u64 from;
	__u64 len;
	__u64 grow;
	long err;
};

/* Step index moves chunk index: everything is derived from the index, so the verifier carries no exact state from
 * one step to the next and checks the step once. */
static long shift_step(__u32 index, void *arg)
{
	struct shift *s = arg;
	__u8 buf[CHUNK];
	__u64 len = s->len;
	__u64 done = (__u64)index * CHUNK;
	__u64 n, off;

	if (done >= len)
		return 1;
	n = len - done;
	if (n > CHUNK)
		n = CHUNK;
	asm volatile("" : "+r"(n));
	if (n == 0 || n > CHUNK) {
		s->err = -1;
		return 1;
	}
	/* shrink copies front to back, grow back to front, so no chunk reads what another wrote */
	off = s->grow ? len - done - n : done;
	if (bpf_skb_load_bytes(s->skb, s->from + off, buf, n) ||
	    bpf_skb_store_bytes(s->skb, s->grow ? s->from + off + CHANNEL_DATA_HEADER
					       : s->from + off - CHANNEL_DATA_HEADER,
				buf, n, BPF_F_RECOMPUTE_CSUM)) {
		s->err = -1;
		return 1;
	}
	return 0;
}

/* Shifts length payload bytes starting at from by 4 bytes towards the head (shrink) or the tail (grow). */
static __always_inline int shift_payload(struct __sk_buff *skb, __u32 from, __u32 length, int grow)
{
	struct shift s = { .skb = skb, .from = from, .len = length, .grow = grow };

	if (length > MAX_PAYLOAD || bpf_loop(MAX_CHUNKS, shift_step, &s, 0) < 0 || s.err)
		return -1;
	return 0;
}

/* Where the rewritten packet goes: stay on this host (a socket here receives it), or leave through an interface. */
enum delivery { DELIVER_NONE, DELIVER_LOCAL, DELIVER_REDIRECT, DELIVER_REDIRECT_NEIGH };

struct next_hop {
	enum delivery how;
	__u32 ifindex;
	__u8 smac[ETH_ALEN];
	__u8 dmac[ETH_ALEN];
	struct bpf_redir_neigh neigh;
};

static __always_inline void decide_delivery(struct __sk_buff *skb, const struct packet *p, const struct route *r,
					    __u32 new_ip_len, struct next_hop *hop)
{
	struct bpf_fib_lookup fib = {};
	long rc;

	hop->how = DELIVER_NONE;
	if (skb->ifindex == LOOPBACK_IFINDEX) {
		/* On loopback the skb keeps the local route it was sent with, so TC_ACT_OK delivers it to the socket
		 * the rewritten header names, provided there is one. */
		struct bpf_sock_tuple t = {};
		struct bpf_sock *sk;
		__u32 size;

		if (p->family == 4) {
			t.ipv4.saddr = r->src.w[0];
			t.ipv4.daddr = r->dst.w[0];
			t.ipv4.sport = r->src_port;
			t.ipv4.dport = r->dst_port;
			size = sizeof(t.ipv4);
		} else {
			__builtin_memcpy(t.ipv6.saddr, &r->src, 16);
			__builtin_memcpy(t.ipv6.daddr, &r->dst, 16);
			t.ipv6.sport = r->src_port;
			t.ipv6.dport = r->dst_port;
			size = sizeof(t.ipv6);
		}
		sk = bpf_sk_lookup_udp(skb, &t, size, BPF_F_CURRENT_NETNS, 0);
		if (sk) {
			bpf_sk_release(sk);
			hop->how = DELIVER_LOCAL;
			return;
		}
	}
	fib.ifindex = skb->ifindex;
	fib.l4_protocol = IPPROTO_UDP;
	fib.sport = r->src_port;
	fib.dport = r->dst_port;
	fib.tot_len = new_ip_len;
	if (p->family == 4) {
		fib.family = 2; /* AF_INET */
		fib.ipv4_src = r->src.w[0];
		fib.ipv4_dst = r->dst.w[0];
	} else {
		fib.family = 10; /* AF_INET6 */
		__builtin_memcpy(fib.ipv6_src, &r->src, 16);
		__builtin_memcpy(fib.ipv6_dst, &r->dst, 16);
	}
	/* Fails with FWD_DISABLED unless forwarding is on for the ingress interface; then user space forwards. */
	rc = bpf_fib_lookup(skb, &fib, sizeof(fib), 0);
	if (rc == BPF_FIB_LKUP_RET_SUCCESS) {
		hop->how = DELIVER_REDIRECT;
		hop->ifindex = fib.ifindex;
		__builtin_memcpy(hop->smac, fib.smac, ETH_ALEN);
		__builtin_memcpy(hop->dmac, fib.dmac, ETH_ALEN);
	} else if (rc == BPF_FIB_LKUP_RET_NO_NEIGH) {
		hop->how = DELIVER_REDIRECT_NEIGH;
		hop->ifindex = fib.ifindex;
		if (p->family == 4) {
			hop->neigh.nh_family = 2;
			hop->neigh.ipv4_nh = fib.ipv4_dst;
		} else {
			hop->neigh.nh_family = 10;
			__builtin_memcpy(hop->neigh.ipv6_nh, fib.ipv6_dst, 16);
		}
	}
}

/* Rewrites the IP header for the new addresses, length and DF (the header checksum is computed afresh). */
static __always_inline int rewrite_ip(struct __sk_buff *skb, const struct packet *p, const struct route *r,
				      __u16 new_udp_len)
{
	if (p->family == 4) {
		struct iphdr ip;
		__s64 sum;

		if (bpf_skb_load_bytes(skb, p->l3_off, &ip, sizeof(ip)))
			return -1;
		ip.saddr = r->src.w[0];
		ip.daddr = r->dst.w[0];
		ip.tot_len = bpf_htons(sizeof(ip) + new_udp_len);
		ip.ttl = TERN_TTL;
		/* parse let through only unfragmented packets (MF and offset zero), so frag_off is just DF */
		ip.frag_off = (r->flags & ROUTE_DF) ? bpf_htons(IP_DF) : 0;
		ip.check = 0;
		sum = bpf_csum_diff(0, 0, (__be32 *)&ip, sizeof(ip), 0);
		if (sum < 0)
			return -1;
		sum = (sum & 0xffff) + (sum >> 16);
		sum = (sum & 0xffff) + (sum >> 16);
		ip.check = ~sum & 0xffff;
		return bpf_skb_store_bytes(skb, p->l3_off, &ip, sizeof(ip), BPF_F_RECOMPUTE_CSUM) ? -1 : 0;
	} else {
		struct ipv6hdr ip6;

		if (bpf_skb_load_bytes(skb, p->l3_off, &ip6, sizeof(ip6)))
			return -1;
		__builtin_memcpy(&ip6.saddr, &r->src, 16);
		__builtin_memcpy(&ip6.daddr, &r->dst, 16);
		ip6.payload_len = bpf_htons(new_udp_len);
		ip6.hop_limit = TERN_TTL;
		return bpf_skb_store_bytes(skb, p->l3_off, &ip6, sizeof(ip6), BPF_F_RECOMPUTE_CSUM) ? -1 : 0;
	}
}

/* The pseudo-header part of the checksum (addresses, UDP length) and the rest (ports, length field, the
 * ChannelData header) are changed separately: for a CHECKSUM_PARTIAL skb the field holds only the pseudo-header
 * sum, and bpf_l4_csum_replace applies just the BPF_F_PSEUDO_HDR part there. */
struct csum_words {
	struct tern_addr src;
	struct tern_addr dst;
	__u32 len;
};

struct data_words {
	__u32 ports;
	__u32 len;
	__u32 channel_header;
};

static __always_inline int fix_udp_checksum(struct __sk_buff *skb, const struct packet *p, const struct route *r,
					    __u16 new_udp_len, __u32 old_channel_header, __u32 new_channel_header)
{
	struct csum_words old_pseudo = {}, new_pseudo = {};
	struct data_words old_data = {}, new_data = {};
	__u32 csum_off = p->udp_off + offsetof(struct udphdr, check);
	__u64 mangled0 = p->family == 4 ? BPF_F_MARK_MANGLED_0 : 0;
	__s64 diff;

	old_pseudo.src = p->saddr;
	old_pseudo.dst = p->daddr;
	old_pseudo.len = bpf_htonl(p->udp_len);
	new_pseudo.src = r->src;
	new_pseudo.dst = r->dst;
	new_pseudo.len = bpf_htonl(new_udp_len);
	diff = bpf_csum_diff((__be32 *)&old_pseudo, sizeof(old_pseudo), (__be32 *)&new_pseudo, sizeof(new_pseudo), 0);
	if (diff < 0 || bpf_l4_csum_replace(skb, csum_off, 0, diff, BPF_F_PSEUDO_HDR | mangled0))
		return -1;

	old_data.ports = (__u32)p->sport | ((__u32)p->dport << 16);
	old_data.len = bpf_htonl(p->udp_len);
	old_data.channel_header = old_channel_header;
	new_data.ports = (__u32)r->src_port | ((__u32)r->dst_port << 16);
	new_data.len = bpf_htonl(new_udp_len);
	new_data.channel_header = new_channel_header;
	diff = bpf_csum_diff((__be32 *)&old_data, sizeof(old_data), (__be32 *)&new_data, sizeof(new_data), 0);
	if (diff < 0 || bpf_l4_csum_replace(skb, csum_off, 0, diff, mangled0))
		return -1;
	/* CHECKSUM_COMPLETE: the helper leaves skb->csum to account for the data change, but the data is written
	 * with BPF_F_RECOMPUTE_CSUM, so account here for the checksum field's own change (as the helper does for
	 * the pseudo-header part). A no-op returning an error for any other kind of skb; skipped when a zero IPv4
	 * checksum (none) stayed zero. */
	if (p->udp_csum)
		bpf_csum_update(skb, ~(__u32)diff);
	return 0;
}

static __always_inline int write_udp_ports_len(struct __sk_buff *skb, const struct packet *p, const struct route *r,
					       __u16 new_udp_len)
{
	struct {
		__u16 sport;
		__u16 dport;
		__u16 len;
	} h = { r->src_port, r->dst_port, bpf_htons(new_udp_len) };

	return bpf_skb_store_bytes(skb, p->udp_off, &h, sizeof(h), BPF_F_RECOMPUTE_CSUM) ? -1 : 0;
}

static __always_inline int deliver(struct __sk_buff *skb, struct next_hop *hop)
{
	if (hop->how == DELIVER_LOCAL)
		return TC_ACT_OK;
	if (hop->how == DELIVER_REDIRECT) {
		if (bpf_skb_store_bytes(skb, offsetof(struct ethhdr, h_dest), hop->dmac, ETH_ALEN, 0) ||
		    bpf_skb_store_bytes(skb, offsetof(struct ethhdr, h_source), hop->smac, ETH_ALEN, 0))
			return TC_ACT_SHOT;
		return bpf_redirect(hop->ifindex, 0);
	}
	return bpf_redirect_neigh(hop->ifindex, &hop->neigh, sizeof(hop->neigh), 0);
}

/* client -> peer: strip the ChannelData header (and zero padding), send from relayed to peer. */
static __always_inline int to_peer(struct __sk_buff *skb, struct packet *p)
{
	__u32 pay_off = p->udp_off + sizeof(struct udphdr);
	__u32 payload = p->udp_len - sizeof(struct udphdr);
	__u32 header;
	__u32 padding;
	__u16 channel, length, new_udp_len;
	struct client_key key = {};
	struct route *r;
	struct counters *c;
	struct next_hop hop;

	if (payload < CHANNEL_DATA_HEADER)
		return TC_ACT_UNSPEC;
	if (bpf_skb_load_bytes(skb, pay_off, &header, sizeof(header)))
		return TC_ACT_UNSPEC;
	channel = bpf_ntohs(header & 0xffff);
	length = bpf_ntohs(header >> 16);
	if (channel < 0x4000 || channel > 0x7fff || length > payload - CHANNEL_DATA_HEADER || length > MAX_PAYLOAD)
		return TC_ACT_UNSPEC;
	/* padding up to a multiple of 4 is allowed; it is trimmed, so it must be zero to leave the checksum as is */
	padding = payload - CHANNEL_DATA_HEADER - length;
	if (padding > 3)
		return TC_ACT_UNSPEC;
	if (padding) {
		__u32 pad = 0;

		if (bpf_skb_load_bytes(skb, pay_off + CHANNEL_DATA_HEADER + length, &pad, padding & 3))
			return TC_ACT_UNSPEC;
		if (pad)
			return TC_ACT_UNSPEC;
	}

	key.client = p->saddr;
	key.listener = p->daddr;
	key.client_port = p->sport;
	key.listener_port = p->dport;
	key.channel = channel;
	key.family = p->family;
	r = bpf_map_lookup_elem(&tern_client_routes, &key);
	if (!r || r->family != p->family || bpf_ktime_get_ns() >= r->deadline_ns)
		return TC_ACT_UNSPEC;
	c = bpf_map_lookup_elem(&tern_counters, &r->slot);
	if (!c)
		return TC_ACT_UNSPEC;

	new_udp_len = sizeof(struct udphdr) + length;
	decide_delivery(skb, p, r, (p->family == 4 ? sizeof(struct iphdr) : 0) + new_udp_len, &hop);
	if (hop.how == DELIVER_NONE)
		return TC_ACT_UNSPEC;

	/* From here on the packet is changed: a failure drops it rather than hand user space a half-rewritten one. */
	if (fix_udp_checksum(skb, p, r, new_udp_len, header, 0) ||
	    shift_payload(skb, pay_off + CHANNEL_DATA_HEADER, length, 0) ||
	    bpf_skb_change_tail(skb, pay_off + length, 0))
		return TC_ACT_SHOT;
	if (write_udp_ports_len(skb, p, r, new_udp_len) || rewrite_ip(skb, p, r, new_udp_len))
		return TC_ACT_SHOT;
	__sync_fetch_and_add(&c->packets_to_peer, 1);
	__sync_fetch_and_add(&c->bytes_to_peer, length);
	return deliver(skb, &hop);
}

/* peer -> client: add the ChannelData header, send from listener to client. */
static __always_inline int to_client(struct __sk_buff *skb, struct packet *p, struct route *r)
{
	__u32 pay_off = p->udp_off + sizeof(struct udphdr);
	__u32 payload = p->udp_len - sizeof(struct udphdr);
	__u32 header;
	__u16 new_udp_len;
	struct next_hop hop;
	struct counters *c;

	if (payload > MAX_PAYLOAD || r->family != p->family || bpf_ktime_get_ns() >= r->deadline_ns)
		return TC_ACT_UNSPEC;
	c = bpf_map_lookup_elem(&tern_counters, &r->slot);
	if (!c)
		return TC_ACT_UNSPEC;
	new_udp_len = sizeof(struct udphdr) + CHANNEL_DATA_HEADER + payload;
	decide_delivery(skb, p, r, (p->family == 4 ? sizeof(struct iphdr) : 0) + new_udp_len, &hop);
	if (hop.how == DELIVER_NONE)
		return TC_ACT_UNSPEC;

	/* growing first: if it fails, nothing has changed and user space gets the packet */
	if (bpf_skb_change_tail(skb, pay_off + CHANNEL_DATA_HEADER + payload, 0))
		return TC_ACT_UNSPEC;
	header = (__u32)bpf_htons(r->channel) | ((__u32)bpf_htons(payload) << 16);
	if (fix_udp_checksum(skb, p, r, new_udp_len, 0, header) ||
	    shift_payload(skb, pay_off, payload, 1) ||
	    bpf_skb_store_bytes(skb, pay_off, &header, sizeof(header), BPF_F_RECOMPUTE_CSUM))
		return TC_ACT_SHOT;
	if (write_udp_ports_len(skb, p, r, new_udp_len) || rewrite_ip(skb, p, r, new_udp_len))
		return TC_ACT_SHOT;
	__sync_fetch_and_add(&c->packets_to_client, 1);
	__sync_fetch_and_add(&c->bytes_to_client, payload);
	return deliver(skb, &hop);
}

SEC("tc")
int tern_tc(struct __sk_buff *skb)
{
	struct packet p = {};
	struct peer_key pk = {};
	struct route *r;

	/* GSO/GRO super-packets stay in user space (which receives them segmented) */
	if (skb->gso_segs > 1 || skb->gso_size)
		return TC_ACT_UNSPEC;
	if (bpf_skb_pull_data(skb, sizeof(struct ethhdr) + sizeof(struct ipv6hdr) + sizeof(struct udphdr)) &&
	    bpf_skb_pull_data(skb, sizeof(struct ethhdr) + sizeof(struct iphdr) + sizeof(struct udphdr)))
		return TC_ACT_UNSPEC;
	if (parse(skb, &p))
		return TC_ACT_UNSPEC;
	if (p.udp_len < sizeof(struct udphdr) || skb->len < p.udp_off + p.udp_len)
		return TC_ACT_UNSPEC;

	pk.peer = p.saddr;
	pk.relayed = p.daddr;
	pk.peer_port = p.sport;
	pk.relayed_port = p.dport;
	pk.family = p.family;
	r = bpf_map_lookup_elem(&tern_peer_routes, &pk);
	if (r)
		return to_client(skb, &p, r);
	return to_peer(skb, &p);
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
