#ifndef ISPWATCH_CSOCKETSHIM_H
#define ISPWATCH_CSOCKETSHIM_H

// What Swift's Glibc module does not expose, for the TCP and ICMP probers' event loop:
// <sys/epoll.h> and <sys/eventfd.h> are not part of it at all, recvmmsg/sendmmsg and struct mmsghdr
// are hidden behind _GNU_SOURCE (which the already-built Glibc module cannot see), and the CMSG_*
// accessors are macros. Header only: nothing here is compiled into a library of its own.

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <time.h>

/// The layout of glibc's `struct mmsghdr`, declared here because glibc only declares it under _GNU_SOURCE.
struct ispwatch_mmsghdr {
    struct msghdr msg_hdr;
    unsigned int msg_len;
};

/// glibc's recvmmsg(2), bound by symbol name (the asm label) because its prototype needs _GNU_SOURCE.
extern int ispwatch_recvmmsg(int fd, struct ispwatch_mmsghdr *vector, unsigned int length, int flags,
                             struct timespec *timeout) __asm__("recvmmsg");

/// glibc's sendmmsg(2), bound by symbol name for the same reason.
extern int ispwatch_sendmmsg(int fd, struct ispwatch_mmsghdr *vector, unsigned int length, int flags)
    __asm__("sendmmsg");

static inline struct cmsghdr *ispwatch_cmsg_firsthdr(struct msghdr *message) { return CMSG_FIRSTHDR(message); }

static inline struct cmsghdr *ispwatch_cmsg_nxthdr(struct msghdr *message, struct cmsghdr *header) {
    return CMSG_NXTHDR(message, header);
}

static inline unsigned char *ispwatch_cmsg_data(struct cmsghdr *header) { return CMSG_DATA(header); }

static inline size_t ispwatch_cmsg_space(size_t length) { return CMSG_SPACE(length); }

#endif
