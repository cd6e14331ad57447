/*
 * A load client cheap enough for a relay's share of the machine to show (bench `overhead`; not part of Tern).
 * Reads tuples from standard input, one per line: "LOCAL_PORT DEST_PORT CHANNEL" (all on 127.0.0.1; LOCAL_PORT 0
 * takes a free port; CHANNEL 0x4000-0x7FFF frames each payload as ChannelData, 0 sends the bare payload). For each
 * tuple it binds a UDP socket to LOCAL_PORT, connected to DEST_PORT, only to receive the echoes; every packet is
 * sent from one raw socket (IP and UDP headers written here, checksums computed once per tuple), up to 64 per
 * sendmmsg, paced to RATE packets per second in total, round robin over the tuples. Packets are built once: no
 * allocation and no formatting per packet.
 *
 * The first LEAD_MS are not measured; then WINDOW_MS are. Payloads start with a marker, 0xA5 'T' 'N' then 'L' in
 * the lead-in and 'W' in the window, so the window's packets are counted wherever they arrive (the echo peer,
 * udp-echo.c, counts them too), also after the window during a drain of at most DRAIN_MS. At the window's start and end it copies
 * the first line of /proc/stat (whole-machine CPU time) and its own CPU time (getrusage).
 *
 * usage: turn-load RATE LEAD_MS WINDOW_MS SIZE [DRAIN_MS 500] < tuples
 * prints:
 *   stat_start cpu ...        (the /proc/stat line at the window's start)
 *   stat_end cpu ...          (... and at its end)
 *   result window_ns=N sent=N received=N received_in_window=N lead_sent=N client_cpu_us=N send_failed=N
 *          other_ticks=N
 *          (sent: window packets sent; received: window packets echoed back, drain included; other_ticks: CPU
 *          ticks that user-space processes other than this one and those in TURN_LOAD_OWN_PIDS, comma-separated,
 *          used during the window: other people's work on a shared machine)
 * needs root (CAP_NET_RAW) for the raw socket.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 64
#define MAX_TUPLES 20000
#define HEADERS 28 /* IPv4 (20, no options) + UDP (8) */
/* The payload's first bytes, then 'L' or 'W'; 0xA5 is neither STUN (0x00-0x03) nor ChannelData (0x40-0x7F). */
#define MARKER "\xA5TN"
#define WINDOW_MARKER MARKER "W"

struct tuple {
    int fd;                 /* the receiving UDP socket, bound to the tuple's local port */
    unsigned char *lead;    /* the whole IP datagram, marked as the lead-in's */
    unsigned char *window;  /* ... marked as the window's */
};

static struct tuple tuples[MAX_TUPLES];
static int tuple_count;
static int datagram_length;
static atomic_int sending_done;
static atomic_long received_window;     /* window packets echoed back */
static atomic_long received_in_window;  /* any packet echoed back while the window was open */
static atomic_int window_open;
static long drain_ms = 500;

static long now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000L + t.tv_nsec;
}

static uint32_t sum16(const unsigned char *p, int len, uint32_t sum) {
    for (int i = 0; i + 1 < len; i += 2) {
        sum += (uint32_t) (p[i] << 8 | p[i + 1]);
    }
    if (len & 1) {
        sum += (uint32_t) (p[len - 1] << 8);
    }
    return sum;
}

static uint16_t fold(uint32_t sum) {
    while (sum >> 16) {
        sum = (sum & 0xFFFF) + (sum >> 16);
    }
    return (uint16_t) ~sum;
}

/* An IPv4/UDP datagram from 127.0.0.1:sport to 127.0.0.1:dport carrying the payload (ChannelData when channel). */
static unsigned char *build(int sport, int dport, int channel, int size, int index, char phase) {
    int udp_payload = size + (channel ? 4 : 0);
    unsigned char *d = calloc(1, HEADERS + udp_payload);
    if (d == NULL) {
        perror("turn-load: calloc");
        exit(1);
    }
    unsigned char *ip = d, *udp = d + 20, *data = d + HEADERS;
    int total = HEADERS + udp_payload;
    ip[0] = 0x45;
    ip[2] = total >> 8;
    ip[3] = total & 0xFF;
    ip[6] = 0x40; /* don't fragment */
    ip[8] = 64;
    ip[9] = IPPROTO_UDP;
    uint32_t loopback = htonl(INADDR_LOOPBACK);
    memcpy(ip + 12, &loopback, 4);
    memcpy(ip + 16, &loopback, 4);
    uint16_t ipsum = fold(sum16(ip, 20, 0));
    ip[10] = ipsum >> 8;
    ip[11] = ipsum & 0xFF;
    udp[0] = sport >> 8;
    udp[1] = sport & 0xFF;
    udp[2] = dport >> 8;
    udp[3] = dport & 0xFF;
    udp[4] = (8 + udp_payload) >> 8;
    udp[5] = (8 + udp_payload) & 0xFF;
    unsigned char *payload = data;
    if (channel) {
        data[0] = channel >> 8;
        data[1] = channel & 0xFF;
        data[2] = size >> 8;
        data[3] = size & 0xFF;
        payload = data + 4;
    }
    memcpy(payload, MARKER, 3);
    payload[3] = (unsigned char) phase;
    if (size >= 8) {
        payload[4] = index >> 24;
        payload[5] = index >> 16;
        payload[6] = index >> 8;
        payload[7] = index;
    }
    /* the pseudo-header: addresses, protocol, UDP length; then the UDP header and data */
    uint32_t sum = sum16(ip + 12, 8, 0) + IPPROTO_UDP + 8 + udp_payload;
    sum = sum16(udp, 8 + udp_payload, sum);
    uint16_t udpsum = fold(sum);
    if (udpsum == 0) {
        udpsum = 0xFFFF;
    }
    udp[6] = udpsum >> 8;
    udp[7] = udpsum & 0xFF;
    datagram_length = total;
    return d;
}

static void read_stat(char *line, size_t size) {
    FILE *f = fopen("/proc/stat", "r");
    if (f == NULL || fgets(line, (int) size, f) == NULL) {
        perror("turn-load: /proc/stat");
        exit(1);
    }
    fclose(f);
    line[strcspn(line, "\n")] = 0;
}

/* The measurement's own processes (TURN_LOAD_OWN_PIDS, comma-separated, and this one): not "other" work. */
static long own_pids[64];
static int own_pid_count;

static int is_own(long pid) {
    for (int i = 0; i < own_pid_count; i++) {
        if (own_pids[i] == pid) {
            return 1;
        }
    }
    return 0;
}

#define MAX_PROCESSES 65536
struct process_ticks {
    long pid;
    long ticks;
};
static struct process_ticks other_start[MAX_PROCESSES];
static int other_start_count;

/*
 * The CPU ticks (utime + stime) of every user-space process on the machine that is not the measurement's own, into
 * out; returns how many. Not the children's (cutime, cstime): a child reaped during the window would bring all its
 * time, most of it from before. A process that ends during the window takes its time in the window with it: this
 * undercounts other work rather than overcount it. Kernel threads (ksoftirqd among them, which may run this
 * measurement's own softirq work) are left out, so they stay in the busy time.
 */
static int other_processes(struct process_ticks *out, int max) {
    DIR *proc = opendir("/proc");
    int n = 0;
    struct dirent *e;
    char path[64], buffer[1024];
    while (proc != NULL && (e = readdir(proc)) != NULL && n < max) {
        if (!isdigit((unsigned char) e->d_name[0])) {
            continue;
        }
        long pid = atol(e->d_name);
        if (is_own(pid)) {
            continue;
        }
        snprintf(path, sizeof path, "/proc/%ld/stat", pid);
        FILE *f = fopen(path, "r");
        if (f == NULL) {
            continue;
        }
        size_t len = fread(buffer, 1, sizeof buffer - 1, f);
        fclose(f);
        buffer[len] = 0;
        char *after = strrchr(buffer, ')');
        unsigned long flags;
        long ppid, utime, stime;
        /* state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime */
        if (after == NULL || sscanf(after + 2, "%*c %ld %*d %*d %*d %*d %lu %*u %*u %*u %*u %ld %ld",
                &ppid, &flags, &utime, &stime) != 4) {
            continue;
        }
        if ((flags & 0x00200000) || pid == 2 || ppid == 2) { /* PF_KTHREAD */
            continue;
        }
        out[n++] = (struct process_ticks) {.pid = pid, .ticks = utime + stime};
    }
    if (proc != NULL) {
        closedir(proc);
    }
    return n;
}

/* Ticks other processes used since other_start was taken: a process new since then counts in full. */
static long other_ticks_since_start(long busy_ticks) {
    static struct process_ticks now[MAX_PROCESSES];
    int n = other_processes(now, MAX_PROCESSES);
    long total = 0;
    for (int i = 0; i < n; i++) {
        long before = 0;
        for (int j = 0; j < other_start_count; j++) {
            if (other_start[j].pid == now[i].pid) {
                before = other_start[j].ticks;
                break;
            }
        }
        if (now[i].ticks > before) {
            total += now[i].ticks - before;
        }
    }
    return total < busy_ticks ? total : busy_ticks; /* tick rounding must not make the rest negative */
}

/* user + nice + system + irq + softirq + steal of a /proc/stat cpu line */
static long busy_of(const char *line) {
    long v[8] = {0};
    sscanf(line, "cpu %ld %ld %ld %ld %ld %ld %ld %ld", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]);
    return v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
}

static long own_cpu_us(void) {
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return (u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1000000L + u.ru_utime.tv_usec + u.ru_stime.tv_usec;
}

static void *receive(void *arg) {
    int ep = *(int *) arg;
    static char buffers[BATCH][2048];
    struct mmsghdr msgs[BATCH];
    struct iovec iov[BATCH];
    struct epoll_event ready[256];
    long drain_until = 0;
    for (;;) {
        if (atomic_load(&sending_done)) {
            long t = now_ns();
            if (drain_until == 0) {
                drain_until = t + drain_ms * 1000000L;
            }
            if (t >= drain_until) {
                break;
            }
        }
        int k = epoll_wait(ep, ready, 256, 10);
        for (int r = 0; r < k; r++) {
            int fd = ready[r].data.fd;
            for (;;) {
                for (int i = 0; i < BATCH; i++) {
                    iov[i] = (struct iovec) {.iov_base = buffers[i], .iov_len = sizeof buffers[i]};
                    memset(&msgs[i], 0, sizeof msgs[i]);
                    msgs[i].msg_hdr.msg_iov = &iov[i];
                    msgs[i].msg_hdr.msg_iovlen = 1;
                }
                int n = recvmmsg(fd, msgs, BATCH, MSG_DONTWAIT, NULL);
                if (n <= 0) {
                    break;
                }
                long window = 0;
                for (int i = 0; i < n; i++) {
                    const char *p = buffers[i];
                    unsigned len = msgs[i].msg_len;
                    /* ChannelData back from a relay (first byte 0x40-0x7F), or the bare payload from the peer */
                    if (len >= 8 && (p[0] & 0xC0) == 0x40) {
                        p += 4;
                        len -= 4;
                    }
                    if (len >= 4 && memcmp(p, WINDOW_MARKER, 4) == 0) {
                        window++;
                    }
                }
                atomic_fetch_add(&received_window, window);
                if (atomic_load(&window_open)) {
                    atomic_fetch_add(&received_in_window, n);
                }
                if (n < BATCH) {
                    break;
                }
            }
        }
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 5 && argc != 6) {
        fprintf(stderr, "usage: turn-load RATE LEAD_MS WINDOW_MS SIZE [DRAIN_MS] < tuples\n");
        return 2;
    }
    long rate = atol(argv[1]), lead_ms = atol(argv[2]), window_ms = atol(argv[3]);
    int size = atoi(argv[4]);
    if (argc == 6) {
        drain_ms = atol(argv[5]);
    }
    if (rate < 1 || lead_ms < 0 || window_ms < 1 || size < 8 || size > 1400 || drain_ms < 0) {
        fprintf(stderr, "turn-load: RATE and WINDOW_MS must be at least 1, LEAD_MS and DRAIN_MS at least 0, "
                "SIZE 8 to 1400\n");
        return 2;
    }
    own_pids[own_pid_count++] = getpid();
    const char *own = getenv("TURN_LOAD_OWN_PIDS");
    for (char *p = (char *) own; p != NULL && *p && own_pid_count < 64;) {
        own_pids[own_pid_count++] = strtol(p, &p, 10);
        while (*p == ',') {
            p++;
        }
    }
    int raw = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
    if (raw < 0) {
        perror("turn-load: raw socket (needs root or CAP_NET_RAW)");
        return 1;
    }
    int buffer = 4 << 20;
    setsockopt(raw, SOL_SOCKET, SO_SNDBUF, &buffer, sizeof buffer);
    int ep = epoll_create1(0);
    int local, dest, channel;
    char line[256];
    while (fgets(line, sizeof line, stdin) != NULL) {
        if (sscanf(line, "%d %d %i", &local, &dest, &channel) != 3) {
            continue;
        }
        if (tuple_count == MAX_TUPLES || local < 0 || local > 65535 || dest < 1 || dest > 65535
                || (channel != 0 && (channel < 0x4000 || channel > 0x7FFF))) {
            fprintf(stderr, "turn-load: bad tuple or too many (at most %d): %s", MAX_TUPLES, line);
            return 2;
        }
        int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
        int receive_buffer = 1 << 20;
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
        struct sockaddr_in self = {.sin_family = AF_INET, .sin_port = htons(local),
                                   .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
        struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(dest),
                                 .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
        socklen_t length = sizeof self;
        struct epoll_event e = {.events = EPOLLIN, .data.fd = fd};
        if (fd < 0 || bind(fd, (struct sockaddr *) &self, sizeof self) != 0
                || connect(fd, (struct sockaddr *) &to, sizeof to) != 0
                || getsockname(fd, (struct sockaddr *) &self, &length) != 0
                || epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e) != 0) {
            fprintf(stderr, "turn-load: socket for local port %d: %s\n", local, strerror(errno));
            return 1;
        }
        int sport = ntohs(self.sin_port);
        tuples[tuple_count] = (struct tuple) {.fd = fd, .lead = build(sport, dest, channel, size, tuple_count, 'L'),
                                              .window = build(sport, dest, channel, size, tuple_count, 'W')};
        tuple_count++;
    }
    if (tuple_count == 0) {
        fprintf(stderr, "turn-load: no tuples on standard input\n");
        return 2;
    }
    pthread_t receiver;
    pthread_create(&receiver, NULL, receive, &ep);

    struct sockaddr_in loopback = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    struct mmsghdr msgs[BATCH];
    struct iovec iov[BATCH];
    memset(msgs, 0, sizeof msgs);
    for (int i = 0; i < BATCH; i++) {
        msgs[i].msg_hdr.msg_iov = &iov[i];
        msgs[i].msg_hdr.msg_iovlen = 1;
        msgs[i].msg_hdr.msg_name = &loopback;
        msgs[i].msg_hdr.msg_namelen = sizeof loopback;
    }
    char stat_start[1024], stat_end[1024];
    long start = now_ns(), window_start = start + lead_ms * 1000000L, end = window_start + window_ms * 1000000L;
    long sent = 0, lead_sent = -1, cpu_start = 0, window_ns = 0, failed = 0, other_ticks = 0;
    for (long t = start;; t = now_ns()) {
        if (lead_sent < 0 && t >= window_start) {
            other_start_count = other_processes(other_start, MAX_PROCESSES);
            read_stat(stat_start, sizeof stat_start);
            cpu_start = own_cpu_us();
            lead_sent = sent;
            window_start = now_ns(); /* the pace goes on from the lead-in's without a gap */
            atomic_store(&window_open, 1);
        }
        if (t >= end) {
            read_stat(stat_end, sizeof stat_end);
            window_ns = now_ns() - window_start;
            other_ticks = other_ticks_since_start(busy_of(stat_end) - busy_of(stat_start));
            atomic_store(&window_open, 0);
            break;
        }
        long due = (long) ((double) (t - start) * rate / 1e9);
        int in_window = lead_sent >= 0;
        while (sent < due) {
            int n = 0;
            for (; n < BATCH && sent + n < due; n++) {
                struct tuple *tu = &tuples[(sent + n) % tuple_count];
                iov[n].iov_base = in_window ? tu->window : tu->lead;
                iov[n].iov_len = datagram_length;
            }
            int done = sendmmsg(raw, msgs, n, 0);
            if (done <= 0) {
                failed += n; /* counted as sent, so as lost: the kernel refused it */
                done = n;
            }
            sent += done;
        }
        struct timespec pause = {0, 200000};
        nanosleep(&pause, NULL);
    }
    long client_cpu = own_cpu_us() - cpu_start;
    atomic_store(&sending_done, 1);
    pthread_join(receiver, NULL);
    printf("stat_start %s\nstat_end %s\n", stat_start, stat_end);
    printf("result window_ns=%ld sent=%ld received=%ld received_in_window=%ld lead_sent=%ld client_cpu_us=%ld "
           "send_failed=%ld other_ticks=%ld\n", window_ns, sent - lead_sent, atomic_load(&received_window),
           atomic_load(&received_in_window), lead_sent, client_cpu, failed, other_ticks);
    return 0;
}
