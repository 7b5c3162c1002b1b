// Kernel timers: ordering, expiry, cancellation, re-arming from the callback.

#include <time/jiffies.hpp>
#include <time/timer.hpp>

#include <gtest/gtest.h>
#include <vector>

namespace {

struct Recorder {
    std::vector<int> fired;
};

struct TestTimer {
    KernelTimer timer;
    Recorder* recorder = nullptr;
    int id = 0;
};

void record(KernelTimer* t) {
    auto* tt = static_cast<TestTimer*>(t->data);
    tt->recorder->fired.push_back(tt->id);
}

class TimerBaseTest : public ::testing::Test {
protected:
    TestTimer& make(int id, uint64_t expires) {
        TestTimer& t = timers[size_t(id)];
        t.recorder = &rec;
        t.id = id;
        timer_setup(t.timer, record, &t);
        t.timer.expires = expires;
        return t;
    }
    TimerBase base;
    Recorder rec;
    TestTimer timers[16];
};

TEST_F(TimerBaseTest, FiresAtExpiryNotBefore) {
    base.run(100);  // the clock is at 100
    base.add(make(0, 105).timer);
    for (uint64_t now = 101; now < 105; now++) EXPECT_EQ(base.run(now), 0u) << now;
    EXPECT_TRUE(timer_pending(timers[0].timer));
    EXPECT_EQ(base.run(105), 1u);
    EXPECT_EQ(rec.fired, std::vector<int>{0});
    EXPECT_FALSE(timer_pending(timers[0].timer));
    EXPECT_EQ(base.run(106), 0u);  // once only
}

TEST_F(TimerBaseTest, RunsInExpiryOrderFifoAmongEquals) {
    base.run(0);
    base.add(make(0, 30).timer);
    base.add(make(1, 10).timer);
    base.add(make(2, 20).timer);
    base.add(make(3, 10).timer);
    base.add(make(4, 20).timer);
    EXPECT_EQ(base.next_due(), 10u);
    EXPECT_EQ(base.run(25), 4u);  // a late tick runs everything due, in order
    EXPECT_EQ(rec.fired, (std::vector<int>{1, 3, 2, 4}));
    EXPECT_EQ(base.next_due(), 30u);
    base.run(30);
    EXPECT_EQ(rec.fired.back(), 0);
    EXPECT_EQ(base.next_due(), UINT64_MAX);
}

TEST_F(TimerBaseTest, PastExpiryFiresAtNextTick) {
    base.run(50);
    base.add(make(0, 40).timer);  // already in the past
    EXPECT_EQ(base.run(51), 1u);
}

TEST_F(TimerBaseTest, DeleteCancels) {
    base.run(0);
    base.add(make(0, 5).timer);
    base.add(make(1, 5).timer);
    EXPECT_TRUE(base.remove(timers[0].timer));
    EXPECT_FALSE(base.remove(timers[0].timer));  // no longer pending
    EXPECT_TRUE(base.remove_sync(timers[1].timer));
    EXPECT_EQ(base.run(10), 0u);
    EXPECT_TRUE(rec.fired.empty());
}

TEST_F(TimerBaseTest, ModTimerRearms) {
    base.run(0);
    TestTimer& t = make(0, 5);
    EXPECT_FALSE(base.mod(t.timer, 8));  // not pending before: arms it
    EXPECT_TRUE(base.mod(t.timer, 12));  // pending: moves it
    EXPECT_EQ(t.timer.expires, 12u);
    EXPECT_EQ(base.run(11), 0u);
    EXPECT_EQ(base.run(12), 1u);
    EXPECT_TRUE(base.mod(make(1, 0).timer, 20) == false);
    EXPECT_TRUE(base.mod(timers[1].timer, 15));  // earlier than before
    EXPECT_EQ(base.run(15), 1u);
}

// A periodic timer: re-arms itself for "now", which must wait for the next tick.
struct Periodic {
    KernelTimer timer;
    TimerBase* base;
    uint64_t* clock;
    int runs = 0;
};

TEST_F(TimerBaseTest, RearmFromCallbackRunsNextTickNotNow) {
    uint64_t clock = 0;
    Periodic p{{}, &base, &clock, 0};
    timer_setup(
        p.timer,
        [](KernelTimer* t) {
            auto* self = static_cast<Periodic*>(t->data);
            self->runs++;
            self->base->mod(self->timer, *self->clock);  // due "now"
        },
        &p);
    base.run(0);
    p.timer.expires = 1;
    base.add(p.timer);
    for (clock = 1; clock <= 10; clock++) EXPECT_EQ(base.run(clock), 1u) << clock;
    EXPECT_EQ(p.runs, 10);
    EXPECT_TRUE(base.remove_sync(p.timer));
}

TEST_F(TimerBaseTest, CallbackMayDeleteAnotherTimer) {
    struct Pair {
        KernelTimer first, second;
        TimerBase* base;
        bool second_ran = false;
    } pair;
    pair.base = &base;
    timer_setup(pair.first, [](KernelTimer* t) {
        auto* p = static_cast<Pair*>(t->data);
        EXPECT_TRUE(p->base->remove(p->second));
    }, &pair);
    timer_setup(pair.second, [](KernelTimer* t) { static_cast<Pair*>(t->data)->second_ran = true; }, &pair);
    base.run(0);
    pair.first.expires = 3;
    pair.second.expires = 3;
    base.add(pair.first);
    base.add(pair.second);
    EXPECT_EQ(base.run(3), 1u);
    EXPECT_FALSE(pair.second_ran);
}

TEST_F(TimerBaseTest, ManyTimersRandomOrder) {
    base.run(0);
    static TestTimer many[200];
    uint64_t seed = 12345;
    for (int i = 0; i < 200; i++) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        many[i].recorder = &rec;
        many[i].id = i;
        timer_setup(many[i].timer, record, &many[i]);
        many[i].timer.expires = 1 + (seed >> 33) % 50;
        base.add(many[i].timer);
    }
    for (uint64_t now = 1; now <= 50; now++) {
        size_t before = rec.fired.size();
        base.run(now);
        for (size_t k = before; k < rec.fired.size(); k++) EXPECT_EQ(many[rec.fired[k]].timer.expires, now);
    }
    EXPECT_EQ(rec.fired.size(), 200u);
}

TEST(GlobalTimers, UseJiffies) {
    KernelTimer t;
    bool fired = false;
    timer_setup(t, [](KernelTimer* k) { *static_cast<bool*>(k->data) = true; }, &fired);
    uint64_t start = jiffies;
    mod_timer(t, start + 2);
    EXPECT_EQ(next_timer_interrupt(), start + 2);
    jiffies = start + 1;
    run_timers();
    EXPECT_FALSE(fired);
    jiffies = start + 2;
    run_timers();
    EXPECT_TRUE(fired);
    EXPECT_FALSE(del_timer(t));
}

}  // namespace
