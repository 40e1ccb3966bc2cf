"""A small gazetteer of places all over China with the API of ``extract.places.gazetteer.Gazetteer``
(``lookup``/``find_in`` with ``within``, ``by_abbreviation``, ``initial_child``), for the
document-metadata tests. Names are real divisions; documents using them are invented."""

from __future__ import annotations

from policykg.extract.model import Region, Span

_ROWS = [
    # key, name, level, parent, aliases, abbreviations
    ("zhejiang", "浙江省", "province", None, ("浙江",), "浙"),
    ("sichuan", "四川省", "province", None, ("四川",), "川蜀"),
    ("guangdong", "广东省", "province", None, ("广东",), "粤"),
    ("beijing", "北京市", "municipality", None, ("北京",), "京"),
    ("shandong", "山东省", "province", None, ("山东",), "鲁"),
    ("shanghai", "上海市", "municipality", None, ("上海",), "沪"),
    ("qinghai", "青海省", "province", None, ("青海",), "青"),
    ("hubei", "湖北省", "province", None, ("湖北",), "鄂"),
    ("jiangsu", "江苏省", "province", None, ("江苏",), "苏"),
    ("fujian", "福建省", "province", None, ("福建",), "闽"),
    ("huzhou", "湖州市", "prefecture", "zhejiang", ("湖州",), ""),
    ("jiaxing", "嘉兴市", "prefecture", "zhejiang", ("嘉兴",), ""),
    ("hangzhou", "杭州市", "prefecture", "zhejiang", ("杭州",), "杭"),
    ("chengdu", "成都市", "prefecture", "sichuan", ("成都",), "蓉"),
    ("shenzhen", "深圳市", "prefecture", "guangdong", ("深圳",), ""),
    ("guangzhou", "广州市", "prefecture", "guangdong", ("广州",), "穗"),
    ("jinan", "济南市", "prefecture", "shandong", ("济南",), ""),
    ("nanjing", "南京市", "prefecture", "jiangsu", ("南京",), ""),
    ("fuzhou", "福州市", "prefecture", "fujian", ("福州",), ""),
    ("wuhan", "武汉市", "prefecture", "hubei", ("武汉",), ""),
    ("chengdu-wuhou", "武侯区", "district", "chengdu", ("武侯",), ""),
    ("beijing-haidian", "海淀区", "district", "beijing", ("海淀",), ""),
    ("beijing-chaoyang", "朝阳区", "district", "beijing", (), ""),
    ("shanghai-jiading", "嘉定区", "district", "shanghai", ("嘉定",), ""),
    ("shanghai-huangpu", "黄浦区", "district", "shanghai", ("黄浦",), ""),
    ("shanghai-qingpu", "青浦区", "district", "shanghai", ("青浦",), ""),
    ("shanghai-chongming", "崇明区", "district", "shanghai", ("崇明",), ""),
    ("nanjing-gulou", "鼓楼区", "district", "nanjing", (), ""),
    ("fuzhou-gulou", "鼓楼区", "district", "fuzhou", (), ""),
    ("guangzhou-yuexiu", "越秀区", "district", "guangzhou", ("越秀",), ""),
    ("shandong-laiwu", "莱芜区", "district", "jinan", ("莱芜",), ""),
]


class ChinaGazetteer:
    def __init__(self) -> None:
        self._by_key = {
            key: Region(key, name, name, level, parent, None, aliases)
            for key, name, level, parent, aliases, _ in _ROWS
        }
        self._abbr = {key: abbr for key, *_, abbr in _ROWS}
        names: dict[str, list[str]] = {}
        for r in self._by_key.values():
            for n in (r.name_zh, *r.aliases):
                names.setdefault(n, []).append(r.key)
        self._names = sorted(names.items(), key=lambda kv: -len(kv[0]))

    def get(self, key):
        return self._by_key[key]

    def __contains__(self, key):
        return key in self._by_key

    def regions(self):
        return [self._by_key[k] for k in sorted(self._by_key)]

    def ancestors(self, key):
        out, parent = [], self._by_key[key].parent
        while parent:
            out.append(self._by_key[parent])
            parent = self._by_key[parent].parent
        return out

    def _within(self, key, within):
        return key == within or any(a.key == within for a in self.ancestors(key))

    def _pick(self, keys, within):
        if len(keys) == 1:
            return keys[0]
        inside = [k for k in keys if within and self._within(k, within)]
        return inside[0] if len(inside) == 1 else None

    def lookup(self, name, within=None):
        keys = next((ks for n, ks in self._names if n == name), [])
        key = self._pick(keys, within)
        return self._by_key[key] if key else None

    def find_in(self, text, within=None):
        found, i = [], 0
        while i < len(text):
            for name, keys in self._names:
                if text.startswith(name, i):
                    key = self._pick(keys, within)
                    if key:
                        found.append((key, Span(i, i + len(name))))
                    i += len(name)
                    break
            else:
                i += 1
        return found

    def by_abbreviation(self, char, within=None):
        return [self._by_key[k] for k, a in self._abbr.items() if char in a]

    def initial_child(self, parent_key, char):
        kids = [r for r in self._by_key.values()
                if r.parent == parent_key and r.name_zh.startswith(char)]
        return kids[0] if len(kids) == 1 else None

    def children(self, key):
        return [r for r in self._by_key.values() if r.parent == key]
