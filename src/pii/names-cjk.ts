import type { RawMatch } from './types';

/**
 * CJK person names, which no capitalisation marks:
 * - Chinese: two or three Han characters starting with one of the 100 most common family names
 *   (Ministry of Public Security, 2020 household register ranking), standing alone;
 * - Japanese: family and given name in Han/kana separated by a space ("佐藤 健一", "堀 直樹"),
 *   the usual way names are written in forms and lists, unless a part is an institution word;
 * - Korean: two to four Hangul syllables starting with one of the common family names
 *   (Statistics Korea, 2015 census), standing alone.
 */
const CHINESE_FAMILY = new Set(
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝'.split(
    '',
  ),
);
const CHINESE_COMPOUND_FAMILY = [
  '欧阳',
  '司马',
  '诸葛',
  '上官',
  '东方',
  '皇甫',
  '尉迟',
  '公孙',
  '慕容',
  '令狐',
];
const KOREAN_FAMILY = new Set(
  '김이박최정강조윤장임한오서신권황안송류전홍고문양손배백허유남심노하곽성차주우구민나진지엄채원천방공현함변염여추도소석선설마길연위표명기반왕금옥육인맹제모탁국어은편용예경봉사부가복태목형피두감음빈'.split(
    '',
  ),
);
/** Han words that make a spaced pair an organisation or place, not a person. */
const INSTITUTION = /[大学駅県市区町村社店部課省庁局院校園港館所銀行会]/u;

const HAN = '\\p{Script=Han}';
const KANA = '\\p{Script=Hiragana}\\p{Script=Katakana}';
const CJK = `${HAN}${KANA}\\p{Script=Hangul}`;
const JAPANESE_RE = new RegExp(`(?<![${CJK}])[${HAN}]{1,3}[ \u3000][${HAN}${KANA}]{1,4}(?![${CJK}])`, 'gu');
const HAN_RE = new RegExp(`(?<![${CJK}])[${HAN}]{2,4}(?![${CJK}])`, 'gu');
const HANGUL_RE = /(?<![\p{Script=Hangul}])\p{Script=Hangul}{2,4}(?![\p{Script=Hangul}])/gu;

export function detectCjkNames(text: string): RawMatch[] {
  if (!/[\u1100-\u11ff\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\u{20000}-\u{2ffff}]/u.test(text)) return [];
  const out: RawMatch[] = [];
  const emit = (start: number, end: number, score: number, detector: string) =>
    out.push({ entityType: 'PERSON_NAME', start, end, score, detector });
  for (const m of text.matchAll(JAPANESE_RE))
    if (!INSTITUTION.test(m[0])) emit(m.index, m.index + m[0].length, 0.8, 'cjk-name:japanese-spaced');
  for (const m of text.matchAll(HAN_RE)) {
    const s = m[0];
    const family =
      CHINESE_COMPOUND_FAMILY.some((f) => s.startsWith(f) && s.length >= 3) || CHINESE_FAMILY.has(s[0]!);
    if (family && s.length <= 3 && !INSTITUTION.test(s))
      emit(m.index, m.index + s.length, 0.75, 'cjk-name:chinese-family');
  }
  for (const m of text.matchAll(HANGUL_RE))
    if (KOREAN_FAMILY.has(m[0][0]!) && m[0].length <= 4)
      emit(m.index, m.index + m[0].length, 0.75, 'cjk-name:korean-family');
  return out;
}
