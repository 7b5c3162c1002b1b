#pragma once
// Architecture set-up called by start_kernel(): CPU features, descriptor tables, the boot CPU's
// per-CPU area. Each architecture implements it in arch/<name>/setup.cpp.
void setup_arch();
