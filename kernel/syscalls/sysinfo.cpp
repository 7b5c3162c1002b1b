// sysinfo(2): uptime, memory and task counts (free(1), uptime(1) and busybox's top read it).
#include <lib/uaccess.hpp>
#include <mm/gfp.hpp>
#include <sched/loadavg.hpp>
#include <sched/pid.hpp>
#include <syscalls/syscall.hpp>
#include <time/clocksource_api.hpp>

namespace {

struct UserSysinfo {
    int64_t uptime;
    uint64_t loads[3];
    uint64_t totalram, freeram, sharedram, bufferram, totalswap, freeswap;
    uint16_t procs;
    uint16_t pad;
    uint64_t totalhigh, freehigh;
    uint32_t mem_unit;
    char reserved[4];
};
static_assert(sizeof(UserSysinfo) == 112);

}  // namespace

SYSCALL_DEFINE1(sysinfo, uint64_t, uinfo) {
    UserSysinfo info{};
    uint64_t ns = ktime_get_ns();
    info.uptime = int64_t((ns + 999999999) / 1000000000);
    unsigned long loads[3];
    get_avenrun(loads, 0, SI_LOAD_SHIFT - FSHIFT);  // sysinfo's loads have 16 fractional bits
    for (int i = 0; i < 3; i++) info.loads[i] = loads[i];
    info.totalram = totalram_pages() * 4096;
    info.freeram = nr_free_pages() * 4096;
    info.procs = uint16_t(nr_tasks());
    info.mem_unit = 1;
    return copy_to_user(UserPtr<void>(uinfo), &info, sizeof info).to_syscall_return();
}
