// The generic IRQ layer with a fake interrupt controller.
// Kernel headers first: <errno.h>, which GoogleTest pulls in, defines the Errno names as macros.
#include <irq/irqchip.hpp>
#include <smp/percpu.hpp>

#include <gtest/gtest.h>
#undef EINVAL
#undef ENOSYS
#undef EBUSY
#undef ENOMEM

namespace {

// Records what the generic layer asked of the controller.
struct FakeChipState {
    bool masked[kNrIrqs];
    unsigned mask_calls[kNrIrqs];
    unsigned unmask_calls[kNrIrqs];
    unsigned eoi_calls[kNrIrqs];
    unsigned retrigger_calls[kNrIrqs];
};
FakeChipState chip_state;

const IrqChip fake_chip = {
    "FAKE",
    [](unsigned irq) { chip_state.masked[irq] = true, chip_state.mask_calls[irq]++; },
    [](unsigned irq) { chip_state.masked[irq] = false, chip_state.unmask_calls[irq]++; },
    [](unsigned irq) { chip_state.eoi_calls[irq]++; },
    [](unsigned irq) { return chip_state.retrigger_calls[irq]++, true; },
};

struct Device {
    const char* name;
    unsigned calls = 0;
    unsigned last_irq = ~0u;
    IrqReturn answer = IrqReturn::Handled;
};

IrqReturn device_handler(unsigned irq, void* dev_id) {
    auto* dev = static_cast<Device*>(dev_id);
    dev->calls++;
    dev->last_irq = irq;
    return dev->answer;
}

class IrqTest : public ::testing::Test {
protected:
    // Each test uses its own IRQ numbers, so the global descriptor table needs no reset between tests;
    // they all detach their chips at the end.
    void attach(unsigned irq) {
        chip_state.masked[irq] = true;
        irq_set_chip(irq, &fake_chip);
        attached_[n_attached_++] = irq;
    }
    void TearDown() override {
        for (unsigned i = 0; i < n_attached_; i++) irq_set_chip(attached_[i], nullptr);
        EXPECT_EQ(this_cpu()->preempt_count, 0);
    }

private:
    unsigned attached_[8];
    unsigned n_attached_ = 0;
};

TEST_F(IrqTest, RequestUnmasksAndDispatchesToTheHandler) {
    attach(10);
    Device dev{"dev"};
    ASSERT_FALSE(request_irq(10, device_handler, 0, "dev", &dev).is_error());
    EXPECT_FALSE(chip_state.masked[10]);

    generic_handle_irq(10);
    generic_handle_irq(10);
    EXPECT_EQ(dev.calls, 2u);
    EXPECT_EQ(dev.last_irq, 10u);
    EXPECT_EQ(kstat_irqs(10), 2u);
    EXPECT_EQ(kstat_irqs_unhandled(10), 0u);
    EXPECT_EQ(chip_state.eoi_calls[10], 2u);

    free_irq(10, &dev);
    EXPECT_TRUE(chip_state.masked[10]);
    generic_handle_irq(10);  // after free: not delivered, counted as unhandled, still acknowledged
    EXPECT_EQ(dev.calls, 2u);
    EXPECT_EQ(kstat_irqs_unhandled(10), 1u);
    EXPECT_EQ(chip_state.eoi_calls[10], 3u);
}

TEST_F(IrqTest, RequestRejectsBadArguments) {
    attach(11);
    Device dev{"dev"};
    EXPECT_EQ(request_irq(kNrIrqs, device_handler, 0, "dev", &dev).error(), Errno::EINVAL);
    EXPECT_EQ(request_irq(11, nullptr, 0, "dev", &dev).error(), Errno::EINVAL);
    EXPECT_EQ(request_irq(11, device_handler, IRQF_SHARED, "dev", nullptr).error(), Errno::EINVAL);
    // No controller behind IRQ 12.
    EXPECT_EQ(request_irq(12, device_handler, 0, "dev", &dev).error(), Errno::ENOSYS);
}

TEST_F(IrqTest, ExclusiveLineRefusesASecondHandler) {
    attach(13);
    Device a{"a"}, b{"b"};
    ASSERT_FALSE(request_irq(13, device_handler, 0, "a", &a).is_error());
    EXPECT_EQ(request_irq(13, device_handler, 0, "b", &b).error(), Errno::EBUSY);
    EXPECT_EQ(request_irq(13, device_handler, IRQF_SHARED, "b", &b).error(), Errno::EBUSY);
    free_irq(13, &a);
}

TEST_F(IrqTest, SharedHandlersMustAllAgree) {
    attach(14);
    Device a{"a"}, b{"b"}, c{"c"};
    ASSERT_FALSE(request_irq(14, device_handler, IRQF_SHARED, "a", &a).is_error());
    // Not shared, or shared but disagreeing on IRQF_TIMER, or the same dev_id twice: refused.
    EXPECT_EQ(request_irq(14, device_handler, 0, "b", &b).error(), Errno::EBUSY);
    EXPECT_EQ(request_irq(14, device_handler, IRQF_SHARED | IRQF_TIMER, "b", &b).error(), Errno::EBUSY);
    EXPECT_EQ(request_irq(14, device_handler, IRQF_SHARED, "a2", &a).error(), Errno::EBUSY);
    EXPECT_FALSE(request_irq(14, device_handler, IRQF_SHARED, "b", &b).is_error());
    EXPECT_FALSE(request_irq(14, device_handler, IRQF_SHARED, "c", &c).is_error());

    generic_handle_irq(14);
    EXPECT_EQ(a.calls, 1u);
    EXPECT_EQ(b.calls, 1u);
    EXPECT_EQ(c.calls, 1u);

    // Removing the middle handler keeps the others; the line stays open until the last one goes.
    free_irq(14, &b);
    generic_handle_irq(14);
    EXPECT_EQ(a.calls, 2u);
    EXPECT_EQ(b.calls, 1u);
    EXPECT_EQ(c.calls, 2u);
    EXPECT_FALSE(chip_state.masked[14]);
    free_irq(14, &a);
    EXPECT_FALSE(chip_state.masked[14]);
    free_irq(14, &c);
    EXPECT_TRUE(chip_state.masked[14]);
}

TEST_F(IrqTest, SharedLineIsHandledIfAnyHandlerClaimsIt) {
    attach(15);
    Device a{"a"}, b{"b"};
    a.answer = IrqReturn::None;
    ASSERT_FALSE(request_irq(15, device_handler, IRQF_SHARED, "a", &a).is_error());
    ASSERT_FALSE(request_irq(15, device_handler, IRQF_SHARED, "b", &b).is_error());
    generic_handle_irq(15);
    EXPECT_EQ(kstat_irqs_unhandled(15), 0u);
    b.answer = IrqReturn::None;
    generic_handle_irq(15);
    EXPECT_EQ(kstat_irqs_unhandled(15), 1u);
    free_irq(15, &a);
    free_irq(15, &b);
}

TEST_F(IrqTest, DisableNestsAndEnableReplaysALatchedInterrupt) {
    attach(16);
    Device dev{"dev"};
    ASSERT_FALSE(request_irq(16, device_handler, 0, "dev", &dev).is_error());
    disable_irq(16);
    disable_irq(16);
    EXPECT_TRUE(chip_state.masked[16]);

    generic_handle_irq(16);  // arrives while disabled: latched, not delivered
    EXPECT_EQ(dev.calls, 0u);
    EXPECT_EQ(chip_state.eoi_calls[16], 1u);

    enable_irq(16);
    EXPECT_TRUE(chip_state.masked[16]);
    EXPECT_EQ(chip_state.retrigger_calls[16], 0u);
    enable_irq(16);
    EXPECT_FALSE(chip_state.masked[16]);
    EXPECT_EQ(chip_state.retrigger_calls[16], 1u);

    enable_irq(16);  // unbalanced: warned about and ignored
    EXPECT_FALSE(chip_state.masked[16]);
    generic_handle_irq(16);
    EXPECT_EQ(dev.calls, 1u);
    free_irq(16, &dev);
}

TEST_F(IrqTest, FreeOfUnknownDevIdChangesNothing) {
    attach(17);
    Device dev{"dev"}, other{"other"};
    ASSERT_FALSE(request_irq(17, device_handler, 0, "dev", &dev).is_error());
    free_irq(17, &other);
    generic_handle_irq(17);
    EXPECT_EQ(dev.calls, 1u);
    free_irq(17, &dev);
}

TEST_F(IrqTest, StuckLineIsDisabledBySpuriousDetector) {
    attach(18);
    Device dev{"dev"};
    dev.answer = IrqReturn::None;
    ASSERT_FALSE(request_irq(18, device_handler, 0, "dev", &dev).is_error());
    for (uint64_t i = 0; i < kSpuriousWindow; i++) generic_handle_irq(18);
    EXPECT_TRUE(chip_state.masked[18]);
    EXPECT_EQ(dev.calls, kSpuriousWindow);
    generic_handle_irq(18);  // disabled now
    EXPECT_EQ(dev.calls, kSpuriousWindow);
    free_irq(18, &dev);
}

TEST_F(IrqTest, MostlyHandledLineIsNotDisabled) {
    attach(19);
    Device dev{"dev"};
    ASSERT_FALSE(request_irq(19, device_handler, 0, "dev", &dev).is_error());
    for (uint64_t i = 0; i < kSpuriousWindow; i++) {
        dev.answer = i % 2 ? IrqReturn::Handled : IrqReturn::None;
        generic_handle_irq(19);
    }
    EXPECT_FALSE(chip_state.masked[19]);
    free_irq(19, &dev);
}

TEST_F(IrqTest, InterruptWithoutChipIsCountedAsError) {
    uint64_t before = irq_err_count();
    generic_handle_irq(20);  // no chip attached
    generic_handle_irq(kNrIrqs + 5);
    EXPECT_EQ(irq_err_count(), before + 2);
}

TEST_F(IrqTest, ActionPoolExhaustionIsReported) {
    attach(21);
    static Device devs[kMaxIrqActions + 1];
    unsigned installed = 0;
    Result<void> last;
    for (; installed <= kMaxIrqActions; installed++) {
        last = request_irq(21, device_handler, IRQF_SHARED, "many", &devs[installed]);
        if (last.is_error()) break;
    }
    EXPECT_EQ(last.error(), Errno::ENOMEM);
    EXPECT_LE(installed, kMaxIrqActions);
    for (unsigned i = 0; i < installed; i++) free_irq(21, &devs[i]);
    EXPECT_FALSE(request_irq(21, device_handler, 0, "one", &devs[0]).is_error());
    free_irq(21, &devs[0]);
}

TEST(IrqContext, EnterExitTrackNestingAndPreemption) {
    PerCpu* cpu = this_cpu();
    irq_enter();
    EXPECT_EQ(cpu->irq_nesting, 1u);
    EXPECT_EQ(cpu->preempt_count, 1);
    irq_exit();
    EXPECT_EQ(cpu->irq_nesting, 0u);
    EXPECT_EQ(cpu->preempt_count, 0);
}

}  // namespace
