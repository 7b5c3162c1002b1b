#pragma once
// The system's names as uname(2) reports them, for the other places that show them (/proc/version,
// /proc/sys/kernel/*).
#include <stddef.h>

extern const char kUtsSysname[];  // "Linux"
extern const char kUtsRelease[];  // the Linux-compatible release, "6.1.0-tern"
extern const char kUtsVersion[];  // "#1 SMP PREEMPT Tern"
// Copies the host or domain name (NUL-terminated, truncated to `size`).
void get_uts_hostname(char* buf, size_t size);
void get_uts_domainname(char* buf, size_t size);
