#pragma once
// Initcalls in Linux's levels, run in order by kernel_init's do_initcalls(): a subsystem registers its
// set-up with e.g. `subsys_initcall(workqueue_init)` instead of being called from a central list.
using InitcallFn = int (*)();

#define TERN_INITCALL(level, fn) \
    [[gnu::used, gnu::section(".initcall." #level), gnu::aligned(8)]] static const InitcallFn initcall_##fn = fn

#define early_initcall(fn) TERN_INITCALL(0, fn)
#define core_initcall(fn) TERN_INITCALL(1, fn)
#define postcore_initcall(fn) TERN_INITCALL(2, fn)
#define arch_initcall(fn) TERN_INITCALL(3, fn)
#define subsys_initcall(fn) TERN_INITCALL(4, fn)
#define fs_initcall(fn) TERN_INITCALL(5, fn)
#define rootfs_initcall(fn) TERN_INITCALL(5s, fn)
#define device_initcall(fn) TERN_INITCALL(6, fn)
#define late_initcall(fn) TERN_INITCALL(7, fn)

void do_initcalls();
