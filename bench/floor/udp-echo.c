/*
 * A UDP echo server: echoes every datagram to where it came from, 64 per system call (recvmmsg, sendmmsg), doing
 * nothing else but count the datagrams whose payload starts with turn-load.c's window marker (0xA5 'T' 'N' 'W').
 * The floor for a user-space UDP relay in bench/udp-floor.sh, and the echo peer of the bench's `overhead` command.
 * Not part of Tern.
 * usage: udp-echo [PORT]   (binds 127.0.0.1:PORT, a free port when 0 or absent; prints "port N" once bound;
 *                           on SIGUSR1 prints "count N", the window datagrams since the last count, and counts
 *                           again from zero; runs until killed)
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>

#define BATCH 64
#define SIZE 2048

static volatile sig_atomic_t report;

static void on_usr1(int signal) {
    (void) signal;
    report = 1;
}

int main(int argc, char **argv) {
    if (argc > 2) {
        fprintf(stderr, "usage: udp-echo [PORT]\n");
        return 2;
    }
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    int buffer = 4 << 20;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buffer, sizeof buffer);
    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &buffer, sizeof buffer);
    struct timeval tick = {0, 50000}; /* wake up to report even when no datagram comes */
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tick, sizeof tick);
    struct sockaddr_in self = {.sin_family = AF_INET, .sin_port = htons(argc == 2 ? atoi(argv[1]) : 0),
                               .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t length = sizeof self;
    if (fd < 0 || bind(fd, (struct sockaddr *) &self, sizeof self) != 0
            || getsockname(fd, (struct sockaddr *) &self, &length) != 0) {
        perror("udp-echo: bind");
        return 1;
    }
    struct sigaction action = {.sa_handler = on_usr1}; /* no SA_RESTART: a signal ends a waiting recvmmsg */
    sigaction(SIGUSR1, &action, NULL);
    printf("port %d\n", ntohs(self.sin_port));
    fflush(stdout);
    static char data[BATCH][SIZE];
    struct mmsghdr msgs[BATCH];
    struct iovec iov[BATCH];
    struct sockaddr_in from[BATCH];
    long counted = 0;
    for (;;) {
        if (report) {
            report = 0;
            printf("count %ld\n", counted);
            fflush(stdout);
            counted = 0;
        }
        for (int i = 0; i < BATCH; i++) {
            iov[i] = (struct iovec) {.iov_base = data[i], .iov_len = SIZE};
            memset(&msgs[i], 0, sizeof msgs[i]);
            msgs[i].msg_hdr.msg_iov = &iov[i];
            msgs[i].msg_hdr.msg_iovlen = 1;
            msgs[i].msg_hdr.msg_name = &from[i];
            msgs[i].msg_hdr.msg_namelen = sizeof from[i];
        }
        int n = recvmmsg(fd, msgs, BATCH, MSG_WAITFORONE, NULL);
        if (n <= 0) {
            continue;
        }
        for (int i = 0; i < n; i++) {
            iov[i].iov_len = msgs[i].msg_len;
            if (msgs[i].msg_len >= 4 && memcmp(data[i], "\xA5TNW", 4) == 0) {
                counted++;
            }
        }
        for (int done = 0; done < n;) {
            int k = sendmmsg(fd, msgs + done, n - done, 0);
            if (k <= 0) {
                break; /* an echo the kernel refused counts as lost at the client */
            }
            done += k;
        }
    }
}
