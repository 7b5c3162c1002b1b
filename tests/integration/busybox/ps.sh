# ps reads /proc: it sees this shell, a sleeping child, a stopped one, and init as PID 1.
sleep 10 & sleeper=$!
sleep 10 & stopped=$!
sleep 0.5
kill -STOP $stopped
ps -o pid,stat,comm | awk -v p=$sleeper '$1 == p { print "sleeping child:", $3, substr($2, 1, 1) }'
ps -o pid,stat,comm | awk -v p=$stopped '$1 == p { print "stopped child:", substr($2, 1, 1) }'
ps -o pid,comm | awk -v p=$$ '$1 == p { print "this shell:", $2 }'
ps -o pid,comm | awk '$1 == 1 { print "init is pid 1:", $2 }'
kill $sleeper
kill -CONT $stopped; kill $stopped
wait
ps -o pid | awk -v a=$sleeper -v b=$stopped '$1 == a || $1 == b { found = 1 } END { print "children gone:", found ? "no" : "yes" }'
