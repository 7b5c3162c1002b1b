#pragma once
#include <fs/sysfs/sysfs.hpp>
#include <stddef.h>

// The attributes of /sys/devices/system/cpu (cpu.cpp).
extern const SysfsAttribute sysfs_cpu_attributes[];
extern const size_t sysfs_nr_cpu_attributes;
