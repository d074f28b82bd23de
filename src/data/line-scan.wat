;; The quick pass of file validation (src/data/line-scan.ts), 16 bytes at a time with SIMD.
;; It can only say "every line is well formed" or "cannot tell": anything it does not accept is
;; validated again by the strict readers, which word the refusal. Assembled into line-scan-wasm.ts
;; by `npm run build:wasm`; test/data/line-scan.test.ts checks that file matches this one.
(module
  ;; 512 KiB of lines, 16 bytes of slack for the last block's load, and the rest free.
  (memory (export "memory") 9)

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
)
