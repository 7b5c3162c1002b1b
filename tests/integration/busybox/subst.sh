# Command substitution, arithmetic, here-documents, redirections, functions and loops.
x=$(echo hello | tr a-z A-Z); echo "$x"
n=$(( $(seq 1 10 | wc -l) * 2 )); echo "twenty: $n"
echo "nested: $(echo $(echo deep))"
v=$(false); echo "status of \$(false): $?"
count=0
for i in $(seq 1 50); do count=$((count + i)); done
echo "sum 1..50: $count"
square() { echo $(( $1 * $1 )); }
echo "square 12: $(square 12)"
cat <<DOC > /tmp/heredoc
line one
value $n
DOC
cat /tmp/heredoc
echo appended >> /tmp/heredoc
wc -l < /tmp/heredoc
while read -r word rest; do echo "first word: $word"; done < /tmp/heredoc
rm /tmp/heredoc; [ -e /tmp/heredoc ] || echo "removed"
echo "$(basename /a/b/c.txt .txt) $(dirname /a/b/c.txt)"
