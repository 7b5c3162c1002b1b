#pragma once
// The file side of a task: its descriptor table (Task::files, an FdTable) and its root/cwd/umask
// (Task::fs, an FsStruct), and how fork, exec and exit treat them (process.hpp declares copy_files,
// copy_fs, exit_files, exit_fs, do_close_on_exec; task_files.cpp defines them).
//
// Ownership: Task::files and Task::fs each hold one reference on their object. Threads created with
// CLONE_FILES / CLONE_FS share the object (one reference each); fork copies it.
//
// Changing Task::files or Task::fs of a live task (exit, exec's unsharing) takes the task's alloc_lock
// (Linux's task_lock), so that other tasks (/proc readers) can take a reference with the getters below.
//
// Kernel threads have neither (nullptr) and use init_fs, the fs_struct rooted at the rootfs root that
// Linux's kernel threads share with init_task; a process started by a kernel thread gets an empty
// descriptor table and init_fs (shared with CLONE_FS, else a copy).
#include <fs/fdtable.hpp>
#include <fs/fs_struct.hpp>
#include <sched/task.hpp>

// The fs_struct kernel threads use and PID 1 starts with: root and cwd at the rootfs root, umask 022.
// Created at first use after vfs_init(); nullptr before (or if memory ran out), never freed.
FsStruct* init_fs();
// `task`'s fs_struct, or init_fs() for a task without one (kernel threads). May be nullptr only
// before the VFS is up.
FsStruct* task_fs(Task* task);
// Another task's descriptor table / fs_struct with a reference (nullptr if it has none: a kernel
// thread, or a task past exit_files/exit_fs). Linux's get_files_struct and the fs part of
// get_task_root/get_task_pwd.
RefPtr<FdTable> get_task_files(Task* task);
RefPtr<FsStruct> get_task_fs(Task* task);
// RLIMIT_NOFILE of the current process: the ceiling for new descriptors.
unsigned current_nofile_limit();

// PID 1 before it executes init (Linux's console_on_rootfs): gives the calling kernel thread a
// descriptor table and init_fs, and opens /dev/console read-write as descriptors 0, 1 and 2. When
// /dev/console is missing it mounts devtmpfs on /dev first (Linux's CONFIG_DEVTMPFS_MOUNT); when it
// still cannot be opened it warns and init starts without descriptors.
void console_on_rootfs();
