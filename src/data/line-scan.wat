;; The quick pass of file validation (src/data/line-scan.ts), 16 bytes at a time with SIMD where it
;; can. It can only say "these lines are well formed" or "cannot tell": anything it does not accept
;; is validated again by the strict readers, which word the refusal. Assembled into line-scan-wasm.ts
;; by `npm run build:wasm`; test/data/line-scan.test.ts checks that file matches this one.
(module
  ;; [0, 512 KiB): a window of lines, then 16 bytes of slack for a block loaded past its end;
  ;; STACK (64 bytes): the open JSON containers of a line; TEMPLATE (512 KiB + slack): a line's keys;
  ;; KEYLENS (a byte per key of TEMPLATE): each key's length with its quotes, 0 when over 16.
  ;; SEGS (an i32 each) and SKEL (64 KiB + slack): a line's skeleton, the bytes between its scalars
  ;; (strings, numbers, true, false, null) as segments, their lengths in SEGS.
  (memory (export "memory") 23)
  (global $STACK i32 (i32.const 0x80010))
  (global $TEMPLATE i32 (i32.const 0x80100))
  (global $KEYLENS i32 (i32.const 0x100200))
  (global $SEGS i32 (i32.const 0x140000))
  (global $SKEL i32 (i32.const 0x150000))
  ;; a run of lines this long is read as two halves (one lane each)
  (global $MIN_HALVES i32 (i32.const 4096))
  (global $MAX_SEGS i32 (i32.const 0x4000))
  (global $MAX_SKEL i32 (i32.const 0x10000))
  ;; how many keys TEMPLATE holds
  (global $tplKeys (mut i32) (i32.const 0))
  ;; the skeleton: its segments (0: none), whether it is tried, lines it matched since it was
  ;; made, and skeletons made in this call that matched no line
  (global $skelSegs (mut i32) (i32.const 0))
  (global $skelOn (mut i32) (i32.const 0))
  (global $skelHits (mut i32) (i32.const 0))
  (global $fruitless (mut i32) (i32.const 0))
  ;; the skeleton being recorded: its segments and bytes so far, 0 in $recOk once over the limits
  (global $recSegs (mut i32) (i32.const 0))
  (global $recLen (mut i32) (i32.const 0))
  (global $recOk (mut i32) (i32.const 0))
  ;; where $laneLines stopped each lane (the start of the line it did not read) and how many lines
  ;; each read
  (global $stopA (mut i32) (i32.const 0))
  (global $stopB (mut i32) (i32.const 0))
  (global $laneRows (mut i32) (i32.const 0))
  ;; whether $laneLines reads one stretch (pb = pa); it and the three above are globals, not
  ;; locals, because the lanes leave the engine few registers (fewer locals: 6 % faster)
  (global $one (mut i32) (i32.const 0))
  ;; whether the last run of lines that fit the skeleton was long: where lines keep missing it
  ;; (their keys change every few lines), halves would cost more than they save
  (global $longRun (mut i32) (i32.const 1))
  ;; where the last line jsonLines stopped at begins and ends (just past its line feed)
  (global $at (export "at") (mut i32) (i32.const 0))
  (global $next (export "next") (mut i32) (i32.const 0))
  ;; JSON objects jsonLines has accepted
  (global $rows (export "rows") (mut i32) (i32.const 0))

  ;; Lines of a delimited file in [p, end), end just past a line feed: each must hold exactly
  ;; $want delimiters and a carriage return only right before its line feed. Returns how many
  ;; lines, or -1.
  (func (export "delimitedLines")
    (param $p i32) (param $end i32) (param $delim i32) (param $want i32) (result i32)
    (local $v v128) (local $delims v128)
    (local $d i32) (local $l i32) (local $r i32) (local $left i32) (local $t i32) (local $below i32)
    (local $count i32) (local $lines i32) (local $cr i32)
    (local.set $delims (i8x16.splat (local.get $delim)))
    (block $fail
      (br_if $fail (i32.le_u (local.get $end) (local.get $p)))
      (br_if $fail (i32.ne (i32.load8_u (i32.sub (local.get $end) (i32.const 1))) (i32.const 10)))
      (block $done
        (loop $blocks
          (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
          (local.set $v (v128.load (local.get $p)))
          (local.set $d (i8x16.bitmask (i8x16.eq (local.get $v) (local.get $delims))))
          (local.set $l (i8x16.bitmask (i8x16.eq (local.get $v) (i8x16.splat (i32.const 10)))))
          (local.set $r (i8x16.bitmask (i8x16.eq (local.get $v) (i8x16.splat (i32.const 13)))))
          (local.set $left (i32.sub (local.get $end) (local.get $p)))
          (if (i32.lt_u (local.get $left) (i32.const 16))
            (then
              (local.set $t (i32.sub (i32.shl (i32.const 1) (local.get $left)) (i32.const 1)))
              (local.set $d (i32.and (local.get $d) (local.get $t)))
              (local.set $l (i32.and (local.get $l) (local.get $t)))
              (local.set $r (i32.and (local.get $r) (local.get $t)))))
          ;; the byte after every carriage return (the previous block's last one included) is a line feed
          (br_if $fail
            (i32.and
              (i32.and (i32.or (i32.shl (local.get $r) (i32.const 1)) (local.get $cr)) (i32.const 0xffff))
              (i32.xor (local.get $l) (i32.const -1))))
          (local.set $cr (i32.shr_u (local.get $r) (i32.const 15)))
          ;; each line feed ends a line: the delimiters before it in this block, plus those carried
          (block $nolines
            (loop $line
              (br_if $nolines (i32.eqz (local.get $l)))
              (local.set $below
                (i32.sub (i32.shl (i32.const 1) (i32.ctz (local.get $l))) (i32.const 1)))
              (br_if $fail
                (i32.ne
                  (i32.add (local.get $count) (i32.popcnt (i32.and (local.get $d) (local.get $below))))
                  (local.get $want)))
              (local.set $d (i32.and (local.get $d) (i32.xor (local.get $below) (i32.const -1))))
              (local.set $l (i32.and (local.get $l) (i32.sub (local.get $l) (i32.const 1))))
              (local.set $count (i32.const 0))
              (local.set $lines (i32.add (local.get $lines) (i32.const 1)))
              (br $line)))
          (local.set $count (i32.add (local.get $count) (i32.popcnt (local.get $d))))
          (local.set $p (i32.add (local.get $p) (i32.const 16)))
          (br $blocks)))
      (return (local.get $lines)))
    (i32.const -1))

  ;; JSON's whitespace within a line: space, tab, carriage return.
  (func $space (param $p i32) (result i32)
    (local $c i32)
    (block $out
      (loop $more
        (local.set $c (i32.load8_u (local.get $p)))
        (br_if $out
          (i32.and
            (i32.ne (local.get $c) (i32.const 32))
            (i32.and (i32.ne (local.get $c) (i32.const 9)) (i32.ne (local.get $c) (i32.const 13)))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $more)))
    (local.get $p))

  (func $hex (param $c i32) (result i32)
    (i32.or
      (i32.lt_u (i32.sub (local.get $c) (i32.const 48)) (i32.const 10))
      (i32.lt_u (i32.sub (i32.or (local.get $c) (i32.const 32)) (i32.const 97)) (i32.const 6))))

  ;; A JSON string starting at its quote: where it ends (past the closing quote), or -1. Plain
  ;; text is skipped 16 bytes at a time; an escape must be one JSON.parse accepts; a control
  ;; character (a line feed included) is refused.
  (func $string (param $p i32) (result i32)
    (local $v v128) (local $m i32) (local $c i32)
    (local.set $p (i32.add (local.get $p) (i32.const 1)))
    (loop $more
      (local.set $v (v128.load (local.get $p)))
      (local.set $m
        (i8x16.bitmask
          (v128.or
            (v128.or
              (i8x16.eq (local.get $v) (i8x16.splat (i32.const 34)))
              (i8x16.eq (local.get $v) (i8x16.splat (i32.const 92))))
            (i8x16.lt_u (local.get $v) (i8x16.splat (i32.const 32))))))
      (if (i32.eqz (local.get $m))
        (then
          (local.set $p (i32.add (local.get $p) (i32.const 16)))
          (br $more)))
      (local.set $p (i32.add (local.get $p) (i32.ctz (local.get $m))))
      (local.set $c (i32.load8_u (local.get $p)))
      (if (i32.eq (local.get $c) (i32.const 34))
        (then (return (i32.add (local.get $p) (i32.const 1)))))
      (if (i32.ne (local.get $c) (i32.const 92)) (then (return (i32.const -1))))
      (local.set $c (i32.load8_u (i32.add (local.get $p) (i32.const 1))))
      (if (i32.eq (local.get $c) (i32.const 117)) ;; \uXXXX
        (then
          (if (i32.eqz
                (i32.and
                  (i32.and
                    (call $hex (i32.load8_u (i32.add (local.get $p) (i32.const 2))))
                    (call $hex (i32.load8_u (i32.add (local.get $p) (i32.const 3)))))
                  (i32.and
                    (call $hex (i32.load8_u (i32.add (local.get $p) (i32.const 4))))
                    (call $hex (i32.load8_u (i32.add (local.get $p) (i32.const 5)))))))
            (then (return (i32.const -1))))
          (local.set $p (i32.add (local.get $p) (i32.const 6)))
          (br $more)))
      ;; \" \\ \/ \b \f \n \r \t
      (if (i32.eqz
            (i32.or
              (i32.or
                (i32.or (i32.eq (local.get $c) (i32.const 34)) (i32.eq (local.get $c) (i32.const 92)))
                (i32.or (i32.eq (local.get $c) (i32.const 47)) (i32.eq (local.get $c) (i32.const 98))))
              (i32.or
                (i32.or (i32.eq (local.get $c) (i32.const 102)) (i32.eq (local.get $c) (i32.const 110)))
                (i32.or (i32.eq (local.get $c) (i32.const 114)) (i32.eq (local.get $c) (i32.const 116))))))
        (then (return (i32.const -1))))
      (local.set $p (i32.add (local.get $p) (i32.const 2)))
      (br $more))
    (i32.const -1))

;; $string for the usual short string, whose closing quote is in the 16 bytes after its opening
  ;; one with no escape or control character before it.
  (func $shortString (param $p i32) (result i32)
    (local $m i32) (local $q i32)
    (local.set $m
      (i8x16.bitmask
        (v128.or
          (v128.or
            (i8x16.eq (v128.load offset=1 (local.get $p)) (i8x16.splat (i32.const 34)))
            (i8x16.eq (v128.load offset=1 (local.get $p)) (i8x16.splat (i32.const 92))))
          (i8x16.lt_u (v128.load offset=1 (local.get $p)) (i8x16.splat (i32.const 32))))))
    (local.set $q (i32.add (i32.add (local.get $p) (i32.const 1)) (i32.ctz (local.get $m))))
    (if (i32.and (i32.ne (local.get $m) (i32.const 0)) (i32.eq (i32.load8_u (local.get $q)) (i32.const 34)))
      (then (return (i32.add (local.get $q) (i32.const 1)))))
    (call $string (local.get $p)))

  (func $digits (param $p i32) (result i32)
    (loop $more
      (if (i32.lt_u (i32.sub (i32.load8_u (local.get $p)) (i32.const 48)) (i32.const 10))
        (then
          (local.set $p (i32.add (local.get $p) (i32.const 1)))
          (br $more))))
    (local.get $p))

  ;; A JSON number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? — where it ends, or -1.
  (func $number (param $p i32) (result i32)
    (local $q i32) (local $c i32)
    (if (i32.eq (i32.load8_u (local.get $p)) (i32.const 45))
      (then (local.set $p (i32.add (local.get $p) (i32.const 1)))))
    (local.set $c (i32.load8_u (local.get $p)))
    (if (i32.eq (local.get $c) (i32.const 48))
      (then (local.set $p (i32.add (local.get $p) (i32.const 1))))
      (else
        (if (i32.ge_u (i32.sub (local.get $c) (i32.const 49)) (i32.const 9)) (then (return (i32.const -1))))
        (local.set $p (call $digits (local.get $p)))))
    (if (i32.eq (i32.load8_u (local.get $p)) (i32.const 46))
      (then
        (local.set $q (i32.add (local.get $p) (i32.const 1)))
        (local.set $p (call $digits (local.get $q)))
        (if (i32.eq (local.get $p) (local.get $q)) (then (return (i32.const -1))))))
    (if (i32.eq (i32.or (i32.load8_u (local.get $p)) (i32.const 32)) (i32.const 101))
      (then
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (local.set $c (i32.load8_u (local.get $p)))
        (if (i32.or (i32.eq (local.get $c) (i32.const 43)) (i32.eq (local.get $c) (i32.const 45)))
          (then (local.set $p (i32.add (local.get $p) (i32.const 1)))))
        (local.set $q (local.get $p))
        (local.set $p (call $digits (local.get $q)))
        (if (i32.eq (local.get $p) (local.get $q)) (then (return (i32.const -1))))))
    (local.get $p))

  ;; Whether the bytes [p, p + len) equal those from q (16 at a time).
  (func $same (param $p i32) (param $q i32) (param $len i32) (result i32)
    (local $i i32) (local $want i32)
    (block $differ
      (loop $more
        (if (i32.ge_u (local.get $i) (local.get $len)) (then (return (i32.const 1))))
        (local.set $want
          (if (result i32) (i32.ge_u (i32.sub (local.get $len) (local.get $i)) (i32.const 16))
            (then (i32.const 0xffff))
            (else (i32.sub (i32.shl (i32.const 1) (i32.sub (local.get $len) (local.get $i))) (i32.const 1)))))
        (br_if $differ
          (i32.ne
            (i32.and
              (i8x16.bitmask
                (i8x16.eq
                  (v128.load (i32.add (local.get $p) (local.get $i)))
                  (v128.load (i32.add (local.get $q) (local.get $i)))))
              (local.get $want))
            (local.get $want)))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $more)))
    (i32.const 0))

  ;; A scalar at p (a string, number, true, false or null): where it ends, or -1.
  (func $scalar (param $p i32) (result i32)
    (local $c i32)
    (local.set $c (i32.load8_u (local.get $p)))
    (if (i32.eq (local.get $c) (i32.const 34)) (then (return (call $shortString (local.get $p)))))
    (if (i32.eq (local.get $c) (i32.const 116)) ;; true
      (then
        (return
          (select (i32.add (local.get $p) (i32.const 4)) (i32.const -1)
            (i32.eq (i32.load (local.get $p)) (i32.const 0x65757274))))))
    (if (i32.eq (local.get $c) (i32.const 110)) ;; null
      (then
        (return
          (select (i32.add (local.get $p) (i32.const 4)) (i32.const -1)
            (i32.eq (i32.load (local.get $p)) (i32.const 0x6c6c756e))))))
    (if (i32.eq (local.get $c) (i32.const 102)) ;; false
      (then
        (return
          (select (i32.add (local.get $p) (i32.const 5)) (i32.const -1)
            (i32.and
              (i32.eq (i32.load (local.get $p)) (i32.const 0x736c6166))
              (i32.eq (i32.load8_u offset=4 (local.get $p)) (i32.const 101)))))))
    (call $number (local.get $p)))

  ;; The bytes [from, to) become the next segment of the skeleton being recorded.
  (func $record (param $from i32) (param $to i32)
    (local $len i32)
    (local.set $len (i32.sub (local.get $to) (local.get $from)))
    (if (i32.or
          (i32.ge_u (global.get $recSegs) (global.get $MAX_SEGS))
          (i32.gt_u (i32.add (global.get $recLen) (local.get $len)) (global.get $MAX_SKEL)))
      (then (global.set $recOk (i32.const 0))))
    (if (i32.eqz (global.get $recOk)) (then (return)))
    (memory.copy (i32.add (global.get $SKEL) (global.get $recLen)) (local.get $from) (local.get $len))
    (i32.store (i32.add (global.get $SEGS) (i32.shl (global.get $recSegs) (i32.const 2))) (local.get $len))
    (global.set $recSegs (i32.add (global.get $recSegs) (i32.const 1)))
    (global.set $recLen (i32.add (global.get $recLen) (local.get $len))))

  ;; The start of the line after the line feed at or after p (there is one before the window's end).
  (func $lineAfter (param $p i32) (result i32)
    (local $m i32)
    (loop $more
      (local.set $m (i8x16.bitmask (i8x16.eq (v128.load (local.get $p)) (i8x16.splat (i32.const 10)))))
      (if (i32.eqz (local.get $m))
        (then
          (local.set $p (i32.add (local.get $p) (i32.const 16)))
          (br $more))))
    (i32.add (i32.add (local.get $p) (i32.ctz (local.get $m))) (i32.const 1)))

  ;; Lines that are the skeleton's segments with one scalar between each two, in two lanes at once:
  ;; A from pa (up to ea) and B from pb (up to eb), a segment of each, then a scalar of each, in
  ;; turn. Within a line each read waits on the one before (where a scalar ends is where the next
  ;; segment starts), so two independent lines keep the CPU busy: 30 % less time than one lane
  ;; (which is what pb = pa gets: one stretch, one lane, the B half of each turn skipped). Both stop
  ;; at the first line either lane misses or a lane's end: their line starts in $stopA and $stopB,
  ;; the lines each read in $laneRows. Only lines whose keys are the template's are recorded as
  ;; skeletons, and swapping a scalar for another keeps a line JSON with the same keys, so a line
  ;; that fits needs no other check. No segment but the last holds a line feed and no scalar does, so
  ;; the line feed the last segment ends with is this line's. Segments, plain strings and plain
  ;; numbers are read here, 16 bytes at a time (a call costs more than the work: the engine does not
  ;; inline them); the rare rest by $string and $number.
  (func $laneLines (param $pa i32) (param $ea i32) (param $pb i32) (param $eb i32)
    (local $i i32) (local $sp i32) (local $len i32) (local $m i32) (local $c i32) (local $s i32)
    (local $v v128) (local $lane i32) (local $q i32)
    (global.set $one (i32.eq (local.get $pa) (local.get $pb)))
    (global.set $laneRows (i32.const 0))
    (block $stop
      (loop $lines
        (global.set $stopA (local.get $pa))
        (global.set $stopB (local.get $pb))
        (br_if $stop
          (i32.or (i32.ge_u (local.get $pa) (local.get $ea)) (i32.ge_u (local.get $pb) (local.get $eb))))
        (local.set $sp (global.get $SKEL))
        (local.set $i (i32.const 0))
        (loop $segments
          (local.set $len (i32.load (i32.add (global.get $SEGS) (i32.shl (local.get $i) (i32.const 2)))))
          (block $same
            (loop $compare
              (local.set $c
                (select (i32.sub (i32.shl (i32.const 1) (local.get $len)) (i32.const 1)) (i32.const 0xffff)
                  (i32.lt_u (local.get $len) (i32.const 16))))
              (br_if $stop
                (i32.ne
                  (i32.and
                    (i32.and
                      (i8x16.bitmask (i8x16.eq (v128.load (local.get $pa)) (v128.load (local.get $sp))))
                      (i8x16.bitmask (i8x16.eq (v128.load (local.get $pb)) (v128.load (local.get $sp)))))
                    (local.get $c))
                  (local.get $c)))
              (if (i32.lt_u (local.get $len) (i32.const 16))
                (then
                  (local.set $pa (i32.add (local.get $pa) (local.get $len)))
                  (local.set $pb (i32.add (local.get $pb) (local.get $len)))
                  (local.set $sp (i32.add (local.get $sp) (local.get $len)))
                  (br $same)))
              (local.set $pa (i32.add (local.get $pa) (i32.const 16)))
              (local.set $pb (i32.add (local.get $pb) (i32.const 16)))
              (local.set $sp (i32.add (local.get $sp) (i32.const 16)))
              (local.set $len (i32.sub (local.get $len) (i32.const 16)))
              (br_if $compare (local.get $len))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (if (i32.eq (local.get $i) (global.get $skelSegs))
            (then
              (global.set $laneRows (i32.add (global.get $laneRows) (i32.const 1)))
              (br $lines)))
          ;; the scalar after the segment: lane A's at $q, then, the lanes swapped, B's
          (local.set $lane (global.get $one))
          (loop $lanes
            (local.set $q (local.get $pa))
            (block $scalar
              (local.set $s (local.get $q))
              (local.set $c (i32.load8_u (local.get $q)))
              (if (i32.eq (local.get $c) (i32.const 34))
                (then
                  ;; a string: to its first quote, backslash or control character; a quote ends it
                  (loop $plain
                    (local.set $v (v128.load offset=1 (local.get $q)))
                    (local.set $m
                      (i8x16.bitmask
                        (v128.or
                          (v128.or
                            (i8x16.eq (local.get $v) (i8x16.splat (i32.const 34)))
                            (i8x16.eq (local.get $v) (i8x16.splat (i32.const 92))))
                          (i8x16.lt_u (local.get $v) (i8x16.splat (i32.const 32))))))
                    (if (i32.eqz (local.get $m))
                      (then
                        (local.set $q (i32.add (local.get $q) (i32.const 16)))
                        (br $plain))))
                  (local.set $q (i32.add (i32.add (local.get $q) (i32.const 1)) (i32.ctz (local.get $m))))
                  (if (i32.eq (i32.load8_u (local.get $q)) (i32.const 34))
                    (then (local.set $q (i32.add (local.get $q) (i32.const 1))))
                    (else
                      (local.set $q (call $string (local.get $s)))
                      (br_if $stop (i32.lt_s (local.get $q) (i32.const 0)))))
                  (br $scalar)))
              ;; true, null and false too, as $scalar reads them: calling it made lines of
              ;; booleans and nulls 20 % slower
              (if (i32.eq (local.get $c) (i32.const 116)) ;; true
                (then
                  (br_if $stop (i32.ne (i32.load (local.get $q)) (i32.const 0x65757274)))
                  (local.set $q (i32.add (local.get $q) (i32.const 4)))
                  (br $scalar)))
              (if (i32.eq (local.get $c) (i32.const 110)) ;; null
                (then
                  (br_if $stop (i32.ne (i32.load (local.get $q)) (i32.const 0x6c6c756e)))
                  (local.set $q (i32.add (local.get $q) (i32.const 4)))
                  (br $scalar)))
              (if (i32.eq (local.get $c) (i32.const 102)) ;; false
                (then
                  (br_if $stop (i32.ne (i32.load (local.get $q)) (i32.const 0x736c6166)))
                  (br_if $stop (i32.ne (i32.load8_u offset=4 (local.get $q)) (i32.const 101)))
                  (local.set $q (i32.add (local.get $q) (i32.const 5)))
                  (br $scalar)))
              ;; a number: its digits counted 16 at a time; one with a leading zero, an exponent or a
              ;; run of 16 digits is read by $number
              (if (i32.eq (local.get $c) (i32.const 45)) (then (local.set $q (i32.add (local.get $q) (i32.const 1)))))
              (local.set $len
                (i32.ctz
                  (i32.xor
                    (i8x16.bitmask
                      (i8x16.lt_u
                        (i8x16.sub (v128.load (local.get $q)) (i8x16.splat (i32.const 48)))
                        (i8x16.splat (i32.const 10))))
                    (i32.const -1))))
              (br_if $stop (i32.eqz (local.get $len)))
              (if (i32.or
                    (i32.eq (local.get $len) (i32.const 16))
                    (i32.eq (i32.load8_u (local.get $q)) (i32.const 48)))
                (then
                  (local.set $q (call $number (local.get $s)))
                  (br_if $stop (i32.lt_s (local.get $q) (i32.const 0)))
                  (br $scalar)))
              (local.set $q (i32.add (local.get $q) (local.get $len)))
              (if (i32.eq (i32.load8_u (local.get $q)) (i32.const 46))
                (then
                  (local.set $len
                    (i32.ctz
                      (i32.xor
                        (i8x16.bitmask
                          (i8x16.lt_u
                            (i8x16.sub (v128.load offset=1 (local.get $q)) (i8x16.splat (i32.const 48)))
                            (i8x16.splat (i32.const 10))))
                        (i32.const -1))))
                  (br_if $stop (i32.eqz (local.get $len)))
                  (local.set $q (i32.add (i32.add (local.get $q) (i32.const 1)) (local.get $len)))))
              (if (i32.or
                    (i32.eq (local.get $len) (i32.const 16))
                    (i32.eq (i32.or (i32.load8_u (local.get $q)) (i32.const 32)) (i32.const 101)))
                (then
                  (local.set $q (call $number (local.get $s)))
                  (br_if $stop (i32.lt_s (local.get $q) (i32.const 0))))))
            (local.set $pa (local.get $pb))
            (local.set $pb (local.get $q))
            (local.set $lane (i32.xor (local.get $lane) (i32.const 1)))
            (br_if $lanes (local.get $lane)))
          (local.set $pa (select (local.get $pb) (local.get $pa) (global.get $one)))
          (br $segments)))))

  ;; From p on, the lines that fit the skeleton: where the first line that does not starts (or end),
  ;; those before it counted in $rows and $skelHits. A long stretch is read as two halves in lanes
  ;; (when the last run was long too); what either half has left when the lanes stop is read as both
  ;; lanes of one, in order; the second half's lines count only once the first half is through.
  (func $skeletonLines (param $p i32) (param $end i32) (result i32)
    (local $mid i32) (local $b i32) (local $k i32) (local $n i32)
    (local.set $mid (local.get $end))
    (if (i32.and (global.get $longRun) (i32.ge_u (i32.sub (local.get $end) (local.get $p)) (global.get $MIN_HALVES)))
      (then
        (local.set $mid
          (call $lineAfter (i32.add (local.get $p) (i32.shr_u (i32.sub (local.get $end) (local.get $p)) (i32.const 1)))))))
    (call $laneLines (local.get $p) (local.get $mid) (local.get $mid) (local.get $end))
    (local.set $k (global.get $laneRows))
    (local.set $b (global.get $stopB))
    (call $laneLines (global.get $stopA) (local.get $mid) (global.get $stopA) (local.get $mid))
    (local.set $n (i32.add (local.get $k) (global.get $laneRows)))
    (if (i32.eq (global.get $stopA) (local.get $mid))
      (then
        (call $laneLines (local.get $b) (local.get $end) (local.get $b) (local.get $end))
        (local.set $n (i32.add (local.get $n) (i32.add (local.get $k) (global.get $laneRows))))))
    (global.set $longRun (i32.ge_u (local.get $n) (i32.const 64)))
    (global.set $rows (i32.add (global.get $rows) (local.get $n)))
    (global.set $skelHits (i32.add (global.get $skelHits) (local.get $n)))
    (global.get $stopA))

  ;; JSON lines in [p, end), end just past a line feed, each blank or one JSON object as JSON.parse
  ;; reads it, no deeper than 64 containers. A line's keys are its brackets and the raw text of its
  ;; keys in order: equal keys mean equal duplicates and depth, so where a line's keys are the
  ;; template's (a line the strict check passed) it needs no other check; a line that fits the
  ;; skeleton (one of those lines) is accepted without being parsed. With $mode 1, the one line at p
  ;; becomes the template and the skeleton and the result is the template's length; with $mode 2,
  ;; the one line at p (of the template's keys) becomes the skeleton. With $mode 0: 0 when every
  ;; line is accepted; 1 when the line [at, next) is JSON but its keys are not the template's
  ;; (tplLen bytes); 2 when the line at `at` is not accepted.
  (func $json (param $p i32) (param $end i32) (param $tplLen i32) (param $mode i32) (result i32)
    (local $c i32) (local $depth i32) (local $tp i32) (local $differs i32) (local $state i32)
    (local $s i32) (local $len i32) (local $top i32) (local $k i32) (local $m i32)
    (local $write i32) (local $rec i32) (local $segStart i32) (local $missed i32)
    (local.set $write (i32.eq (local.get $mode) (i32.const 1)))
    (local.set $rec (i32.ne (local.get $mode) (i32.const 0)))
    (block $fail
      (loop $lines
        (local.set $missed (i32.const 0))
        (if (local.get $rec)
          (then
            (global.set $skelSegs (i32.const 0))
            (global.set $recSegs (i32.const 0))
            (global.set $recLen (i32.const 0))
            (global.set $recOk (i32.const 1))
            (local.set $segStart (local.get $p)))
          (else
            (if (global.get $skelOn)
              (then
                (local.set $p (call $skeletonLines (local.get $p) (local.get $end)))
                (local.set $missed (i32.const 1))))))
        (if (i32.ge_u (local.get $p) (local.get $end)) (then (return (i32.const 0))))
        (global.set $at (local.get $p))
        (if (i32.le_u (i32.load8_u (local.get $p)) (i32.const 32)) (then (local.set $p (call $space (local.get $p)))))
        (local.set $c (i32.load8_u (local.get $p)))
        (if (i32.eq (local.get $c) (i32.const 10))
          (then
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $lines)))
        (br_if $fail (i32.ne (local.get $c) (i32.const 123)))
        (local.set $tp (i32.const 0))
        (local.set $k (i32.const 0))
        (local.set $differs (i32.const 0))
        (local.set $depth (i32.const 0))
        ;; states: 0 a value starts here, 1 an object just opened, 2 an array just opened,
        ;; 3 a value just ended, 4 a key starts here, 5 the line's object just ended
        (local.set $state (i32.const 0))
        (loop $token
          (block $lineEnd
            (block $key
              (block $after
                (block $arrayOpen
                  (block $objectOpen
                    (block $value
                      (br_table $value $objectOpen $arrayOpen $after $key $lineEnd (local.get $state)))
                    ;; a value
                    (if (i32.le_u (i32.load8_u (local.get $p)) (i32.const 32)) (then (local.set $p (call $space (local.get $p)))))
                    (local.set $c (i32.load8_u (local.get $p)))
                    (if (i32.or (i32.eq (local.get $c) (i32.const 123)) (i32.eq (local.get $c) (i32.const 91)))
                      (then
                        (br_if $fail (i32.ge_u (local.get $depth) (i32.const 64)))
                        (i32.store8 (i32.add (global.get $STACK) (local.get $depth)) (local.get $c))
                        (local.set $depth (i32.add (local.get $depth) (i32.const 1)))
                        ;; the bracket is part of the line's keys
                        (if (local.get $write)
                          (then (i32.store8 (i32.add (global.get $TEMPLATE) (local.get $tp)) (local.get $c)))
                          (else
                            (if (i32.or
                                  (i32.ge_u (local.get $tp) (local.get $tplLen))
                                  (i32.ne (i32.load8_u (i32.add (global.get $TEMPLATE) (local.get $tp))) (local.get $c)))
                              (then (local.set $differs (i32.const 1))))))
                        (local.set $tp (i32.add (local.get $tp) (i32.const 1)))
                        (local.set $p (i32.add (local.get $p) (i32.const 1)))
                        (local.set $state (select (i32.const 1) (i32.const 2) (i32.eq (local.get $c) (i32.const 123))))
                        (br $token)))
                    (if (local.get $rec) (then (call $record (local.get $segStart) (local.get $p))))
                    (local.set $p (call $scalar (local.get $p)))
                    (br_if $fail (i32.lt_s (local.get $p) (i32.const 0)))
                    (local.set $segStart (local.get $p))
                    (local.set $state (i32.const 3))
                    (br $token))
                  ;; an object just opened: a key or its end
                  (if (i32.le_u (i32.load8_u (local.get $p)) (i32.const 32)) (then (local.set $p (call $space (local.get $p)))))
                  (local.set $c (i32.load8_u (local.get $p)))
                  (if (i32.eq (local.get $c) (i32.const 34))
                    (then
                      (local.set $state (i32.const 4))
                      (br $token)))
                  (br_if $fail (i32.ne (local.get $c) (i32.const 125)))
                  (br $after))
                ;; an array just opened: a value or its end
                (if (i32.le_u (i32.load8_u (local.get $p)) (i32.const 32)) (then (local.set $p (call $space (local.get $p)))))
                (if (i32.ne (i32.load8_u (local.get $p)) (i32.const 93))
                  (then
                    (local.set $state (i32.const 0))
                    (br $token))))
              ;; a value just ended (or a container is about to close, at its bracket)
              (if (i32.le_u (i32.load8_u (local.get $p)) (i32.const 32)) (then (local.set $p (call $space (local.get $p)))))
              (local.set $c (i32.load8_u (local.get $p)))
              (local.set $top (i32.load8_u (i32.sub (i32.add (global.get $STACK) (local.get $depth)) (i32.const 1))))
              (if (i32.eq (local.get $c) (i32.const 44))
                (then
                  (local.set $p (i32.add (local.get $p) (i32.const 1)))
                  (if (i32.le_u (i32.load8_u (local.get $p)) (i32.const 32)) (then (local.set $p (call $space (local.get $p)))))
                  (if (i32.eq (local.get $top) (i32.const 91))
                    (then
                      (local.set $state (i32.const 0))
                      (br $token)))
                  (br_if $fail (i32.ne (i32.load8_u (local.get $p)) (i32.const 34)))
                  (local.set $state (i32.const 4))
                  (br $token)))
              ;; the container's closing bracket: } for {, ] for [
              (br_if $fail (i32.ne (local.get $c) (i32.add (local.get $top) (i32.const 2))))
              (if (local.get $write)
                (then (i32.store8 (i32.add (global.get $TEMPLATE) (local.get $tp)) (local.get $c)))
                (else
                  (if (i32.or
                        (i32.ge_u (local.get $tp) (local.get $tplLen))
                        (i32.ne (i32.load8_u (i32.add (global.get $TEMPLATE) (local.get $tp))) (local.get $c)))
                    (then (local.set $differs (i32.const 1))))))
              (local.set $tp (i32.add (local.get $tp) (i32.const 1)))
              (local.set $p (i32.add (local.get $p) (i32.const 1)))
              (local.set $depth (i32.sub (local.get $depth) (i32.const 1)))
              (local.set $state (select (i32.const 3) (i32.const 5) (local.get $depth)))
              (br $token))
            ;; a key, at its quote: its raw text joins the line's keys, then a colon and a value
            ;; While the line's keys so far are the template's, its next key is most likely the
            ;; template's next one: when its bytes are those (a whole string, at most 16 bytes),
            ;; it is that string and needs no scan.
            (local.set $len (i32.const 0))
            (if (i32.eqz (i32.or (local.get $write) (local.get $differs)))
              (then
                (if (i32.lt_u (local.get $k) (global.get $tplKeys))
                  (then
                    (local.set $len (i32.load8_u (i32.add (global.get $KEYLENS) (local.get $k))))
                    (local.set $m (i32.sub (i32.shl (i32.const 1) (local.get $len)) (i32.const 1)))
                    (if (i32.or
                          (i32.or (i32.eqz (local.get $len))
                            (i32.gt_u (i32.add (local.get $tp) (local.get $len)) (local.get $tplLen)))
                          (i32.ne
                            (i32.and
                              (i8x16.bitmask
                                (i8x16.eq
                                  (v128.load (local.get $p))
                                  (v128.load (i32.add (global.get $TEMPLATE) (local.get $tp)))))
                              (local.get $m))
                            (local.get $m)))
                      (then (local.set $len (i32.const 0))))))))
            (if (local.get $len)
              (then (local.set $p (i32.add (local.get $p) (local.get $len))))
              (else
                (local.set $s (local.get $p))
                (local.set $p (call $string (local.get $p)))
                (br_if $fail (i32.lt_s (local.get $p) (i32.const 0)))
                (local.set $len (i32.sub (local.get $p) (local.get $s)))
                (if (local.get $write)
                  (then
                    (memory.copy (i32.add (global.get $TEMPLATE) (local.get $tp)) (local.get $s) (local.get $len))
                    (i32.store8 (i32.add (global.get $KEYLENS) (local.get $k))
                      (select (local.get $len) (i32.const 0) (i32.le_u (local.get $len) (i32.const 16)))))
                  (else
                    (if (i32.or
                          (i32.gt_u (i32.add (local.get $tp) (local.get $len)) (local.get $tplLen))
                          (i32.eqz (call $same (local.get $s) (i32.add (global.get $TEMPLATE) (local.get $tp)) (local.get $len))))
                      (then (local.set $differs (i32.const 1))))))))
            (local.set $tp (i32.add (local.get $tp) (local.get $len)))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (if (i32.le_u (i32.load8_u (local.get $p)) (i32.const 32)) (then (local.set $p (call $space (local.get $p)))))
            (br_if $fail (i32.ne (i32.load8_u (local.get $p)) (i32.const 58)))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (local.set $state (i32.const 0))
            (br $token))
          ;; the line's object ended: only whitespace may follow
          (if (i32.le_u (i32.load8_u (local.get $p)) (i32.const 32)) (then (local.set $p (call $space (local.get $p)))))
          (br_if $fail (i32.ne (i32.load8_u (local.get $p)) (i32.const 10)))
          (local.set $p (i32.add (local.get $p) (i32.const 1)))
          (if (local.get $rec)
            (then
              (call $record (local.get $segStart) (local.get $p))
              (global.set $skelSegs (select (global.get $recSegs) (i32.const 0) (global.get $recOk)))
              (global.set $skelOn (global.get $skelSegs))
              (global.set $skelHits (i32.const 0))
              (if (local.get $write) (then (global.set $tplKeys (local.get $k))))
              (return (local.get $tp))))
          (global.set $rows (i32.add (global.get $rows) (i32.const 1)))
          (if (i32.or (local.get $differs) (i32.ne (local.get $tp) (local.get $tplLen)))
            (then
              (global.set $next (local.get $p))
              (return (i32.const 1))))
          ;; The template's keys but not the skeleton: this line becomes the skeleton, unless
          ;; skeletons made here keep matching no line (arrays of other lengths, say).
          (if (local.get $missed)
            (then
              (if (i32.or (global.get $skelHits) (i32.lt_u (global.get $fruitless) (i32.const 2)))
                (then
                  (global.set $fruitless
                    (select (i32.const 0) (i32.add (global.get $fruitless) (i32.const 1)) (global.get $skelHits)))
                  (drop (call $json (global.get $at) (local.get $end) (local.get $tplLen) (i32.const 2))))
                (else (global.set $skelOn (i32.const 0))))))
          (br $lines)))
      (unreachable))
    (i32.const 2))

  (func (export "jsonLines") (param $p i32) (param $end i32) (param $tplLen i32) (result i32)
    (global.set $skelOn (i32.ne (global.get $skelSegs) (i32.const 0)))
    (global.set $fruitless (i32.const 0))
    (call $json (local.get $p) (local.get $end) (local.get $tplLen) (i32.const 0)))

  ;; The keys of the JSON line at p become the template, the line the skeleton; returns their length.
  (func (export "jsonKeys") (param $p i32) (param $end i32) (result i32)
    (call $json (local.get $p) (local.get $end) (i32.const 0) (i32.const 1)))
)
