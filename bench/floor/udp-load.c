/*
 * Load for udp-echo: SOCKETS connected UDP sockets each send a 164-byte datagram RATE times a second (paced
 * together) for SECONDS, and count the echoes; prints "sent N echoed M". Used by bench/udp-floor.sh.
 * usage: udp-load PORT SOCKETS RATE SECONDS
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>

static long now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000L + t.tv_nsec;
}

static long drain(int ep, int timeout_ms) {
    static char in[2048];
    struct epoll_event ready[256];
    long got = 0;
    int k = epoll_wait(ep, ready, 256, timeout_ms);
    for (int i = 0; i < k; i++) {
        while (recv(ready[i].data.fd, in, sizeof in, 0) > 0) {
            got++;
        }
    }
    return got;
}

int main(int argc, char **argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: udp-load PORT SOCKETS RATE SECONDS\n");
        return 2;
    }
    int port = atoi(argv[1]), sockets = atoi(argv[2]), rate = atoi(argv[3]), seconds = atoi(argv[4]);
    if (sockets < 1 || rate < 1 || seconds < 1) {
        fprintf(stderr, "udp-load: SOCKETS, RATE and SECONDS must be at least 1\n");
        return 2;
    }
    int ep = epoll_create1(0);
    int *fds = calloc(sockets, sizeof(int));
    struct sockaddr_in echo = {.sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    for (int i = 0; i < sockets; i++) {
        fds[i] = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
        struct epoll_event e = {.events = EPOLLIN, .data.fd = fds[i]};
        if (fds[i] < 0 || connect(fds[i], (struct sockaddr *) &echo, sizeof echo) != 0
                || epoll_ctl(ep, EPOLL_CTL_ADD, fds[i], &e) != 0) {
            perror("udp-load: socket");
            return 1;
        }
    }
    char packet[164] = {0};
    double total = (double) sockets * rate;
    long start = now_ns(), end = start + seconds * 1000000000L, sent = 0, echoed = 0;
    for (long t = start; t < end; t = now_ns()) {
        long due = (long) ((t - start) * total / 1e9);
        for (; sent < due; sent++) {
            send(fds[sent % sockets], packet, sizeof packet, 0);
        }
        long got = drain(ep, 0);
        echoed += got;
        if (got == 0) {
            struct timespec pause = {0, 100000};
            nanosleep(&pause, NULL);
        }
    }
    for (long until = now_ns() + 500000000L; now_ns() < until;) {
        echoed += drain(ep, 50);
    }
    printf("sent %ld echoed %ld\n", sent, echoed);
    return 0;
}
