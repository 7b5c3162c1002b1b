// See fake_smp.hpp.
#include "fake_smp.hpp"

#include <arch/arch.hpp>
#include <smp/cpumask.hpp>
#include <smp/smp.hpp>

#include <chrono>
#include <mutex>

namespace fake_smp {
namespace {

enum : unsigned { kCallFunction = 1, kCallFunctionSingle = 2, kReschedule = 4 };

std::atomic<unsigned> pending[kMaxCpus];
std::atomic<unsigned> sent[kMaxCpus][3];

void send(unsigned cpu, unsigned kind, unsigned index) {
    sent[cpu][index].fetch_add(1);
    pending[cpu].fetch_or(kind);
}

}  // namespace

// The target's "interrupt entry": runs with its interrupts off, like the real handlers.
void take_interrupts(unsigned cpu) {
    unsigned kinds = pending[cpu].exchange(0);
    if (!kinds) return;
    arch::IrqFlags flags = arch::irq_save();
    if (kinds & (kCallFunction | kCallFunctionSingle)) generic_smp_call_function_interrupt();
    if (kinds & kReschedule) scheduler_ipi();
    arch::irq_restore(flags);
}

Firmware& firmware() {
    static Firmware f;
    return f;
}

void reset_machine() {
    cpu_possible_mask.clear_all();
    cpu_online_mask.clear_all();
    nr_cpus_online = 0;
    set_cpu_possible(0, true);
    set_cpu_online(0, true);
    for (unsigned i = 0; i < kMaxCpus; i++) {
        pending[i] = 0;
        for (auto& s : sent[i]) s = 0;
        per_cpu_data[i].need_resched = false;
        if (i > 0) {  // what an earlier bring-up test's scheduler set up lived in that test's memory
            per_cpu_data[i].rq = nullptr;
            per_cpu_data[i].current = per_cpu_data[i].idle = nullptr;
            per_cpu_data[i].preempt_count = 0;
        }
    }
    firmware() = Firmware{};
}

SentIpis sent_ipis(unsigned cpu) { return SentIpis{sent[cpu][0].load(), sent[cpu][1].load(), sent[cpu][2].load()}; }

struct SimulatedCpus::Cpu {
    unsigned id;
    std::thread thread;
    std::atomic<bool> stop{false};
    std::mutex task_mutex;
    std::function<void()> task;
    std::atomic<bool> has_task{false};
    std::atomic<bool> online{false};
};

SimulatedCpus::SimulatedCpus(unsigned n) {
    for (unsigned id = 1; id < n; id++) {
        auto cpu = std::make_unique<Cpu>();
        cpu->id = id;
        set_cpu_possible(id, true);
        cpu->thread = std::thread([this, c = cpu.get()] { run(*c); });
        while (!cpu->online.load()) std::this_thread::yield();
        cpus_.push_back(std::move(cpu));
    }
}

SimulatedCpus::~SimulatedCpus() {
    wait_tasks();
    for (auto& cpu : cpus_) {
        cpu->stop = true;
        cpu->thread.join();
        set_cpu_online(cpu->id, false);
    }
}

void SimulatedCpus::run(Cpu& cpu) {
    PerCpu& percpu = per_cpu_data[cpu.id];
    percpu = PerCpu{};
    percpu.self = &percpu;
    percpu.cpu_id = cpu.id;
    arch::host::cpu = &percpu;
    arch::host::irq_on = true;
    set_cpu_online(cpu.id, true);
    cpu.online = true;
    while (!cpu.stop.load()) {
        if (cpu.has_task.load()) {
            std::function<void()> task;
            {
                std::lock_guard<std::mutex> guard(cpu.task_mutex);
                task = std::move(cpu.task);
            }
            task();
            arch::host::irq_on = true;
            cpu.has_task = false;
        }
        take_interrupts(cpu.id);
        std::this_thread::yield();
    }
    take_interrupts(cpu.id);
}

void SimulatedCpus::start_task(unsigned id, std::function<void()> task) {
    Cpu& cpu = *cpus_.at(id - 1);
    {
        std::lock_guard<std::mutex> guard(cpu.task_mutex);
        cpu.task = std::move(task);
    }
    cpu.has_task = true;
}

void SimulatedCpus::wait_tasks() {
    for (auto& cpu : cpus_)
        while (cpu->has_task.load()) std::this_thread::yield();
}

}  // namespace fake_smp

// The architecture side of the SMP interface, simulated.
void arch::smp_prepare_cpus(unsigned max_cpus) {
    unsigned n = fake_smp::firmware().cpus;
    for (unsigned cpu = 1; cpu < n && cpu < max_cpus; cpu++) set_cpu_possible(cpu, true);
}

Result<void> arch::smp_boot_cpu(unsigned cpu, Task* idle) {
    if (!idle || per_cpu_data[cpu].current != idle) return Errno::EINVAL;
    auto& fw = fake_smp::firmware();
    fw.boot_order.push_back(cpu);
    if (cpu < fw.fails_to_boot.size() && fw.fails_to_boot[cpu]) return Errno::EIO;
    set_cpu_online(cpu, true);
    return {};
}

void arch::send_call_function_ipi(unsigned cpu) { fake_smp::send(cpu, fake_smp::kCallFunction, 0); }
void arch::send_call_function_single_ipi(unsigned cpu) { fake_smp::send(cpu, fake_smp::kCallFunctionSingle, 1); }
void arch::send_reschedule_ipi(unsigned cpu) { fake_smp::send(cpu, fake_smp::kReschedule, 2); }
