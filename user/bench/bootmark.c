/* bootmark: the /init of the boot benchmark's initramfs. Prints how long the kernel has been up when
 * user space first runs (CLOCK_MONOTONIC, CLOCK_BOOTTIME), the free memory it sees, then powers off. */
#include <stdio.h>
#include <sys/reboot.h>
#include <sys/sysinfo.h>
#include <time.h>
#include <unistd.h>

int main(void) {
    struct timespec mono, boot;
    clock_gettime(CLOCK_MONOTONIC, &mono);
    clock_gettime(CLOCK_BOOTTIME, &boot);
    struct sysinfo si;
    sysinfo(&si);
    printf("bootmark: user space at monotonic %ld.%06ld s, boottime %ld.%06ld s, free %lu KiB of %lu KiB\n",
           (long)mono.tv_sec, mono.tv_nsec / 1000, (long)boot.tv_sec, boot.tv_nsec / 1000,
           (unsigned long)(si.freeram * si.mem_unit / 1024), (unsigned long)(si.totalram * si.mem_unit / 1024));
    fflush(stdout);
    sync();
    reboot(RB_POWER_OFF);
    return 0;
}
