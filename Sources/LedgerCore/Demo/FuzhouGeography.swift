import Foundation
// Static, deterministic reference data for the demo generator.
//
// District codes are the national administrative division codes (GB/T 2260), except
// 高新区 (福州高新技术产业开发区), which is a development zone rather than an official
// division. Streets/towns (街道/镇/乡) are real names; community (社区/村) names are
// real or plausible and are only used to make the demo data look realistic.

/// The real administrative geography of Fuzhou used by the demo generator (福州市行政区划).
public enum FuzhouGeography {
    /// A street, town or township (街道/镇/乡) with a few of its communities or villages (社区/村).
    public struct Street: Sendable {
        public let name: String
        public let communities: [String]

        public init(name: String, communities: [String]) {
            self.name = name
            self.communities = communities
        }
    }

    /// A district, county or county-level city (区/县/市) of Fuzhou.
    public struct District: Sendable {
        public let code: String
        public let name: String
        public let streets: [Street]

        public init(code: String, name: String, streets: [Street]) {
            self.code = code
            self.name = name
            self.streets = streets
        }
    }

    public static let provinceCode = "350000"
    public static let provinceName = "福建省"
    public static let cityCode = "350100"
    public static let cityName = "福州市"

    /// The 13 districts/counties of the Fuzhou 2024 plan, in plan order.
    public static let districts: [District] = [
        District(code: "350102", name: "鼓楼区", streets: [
            Street(name: "鼓东街道", communities: ["大根社区", "湖东社区", "钱塘社区"]),
            Street(name: "鼓西街道", communities: ["西湖社区", "杨桥社区", "渡鸡口社区"]),
            Street(name: "温泉街道", communities: ["温泉社区", "汤门社区", "树兜社区"]),
            Street(name: "东街街道", communities: ["东街社区", "庆城社区", "井大社区"]),
            Street(name: "南街街道", communities: ["三坊七巷社区", "光禄坊社区", "文儒社区"]),
            Street(name: "安泰街道", communities: ["朱紫坊社区", "乌山社区", "大光里社区"]),
            Street(name: "华大街道", communities: ["华大社区", "屏西社区", "北大社区"]),
            Street(name: "水部街道", communities: ["水部社区", "琼东社区", "古田路社区"]),
            Street(name: "五凤街道", communities: ["五凤社区", "梅峰社区", "龙峰社区"]),
            Street(name: "洪山镇", communities: ["洪山社区", "西禅社区", "祭酒岭社区", "凤湖社区"]),
        ]),
        District(code: "350103", name: "台江区", streets: [
            Street(name: "瀛洲街道", communities: ["瀛洲社区", "达江社区", "南禅社区"]),
            Street(name: "后洲街道", communities: ["上下杭社区", "双杭社区", "星安社区"]),
            Street(name: "义洲街道", communities: ["白马社区", "义洲社区", "浦西社区"]),
            Street(name: "新港街道", communities: ["新港社区", "琯后社区", "西营社区"]),
            Street(name: "上海街道", communities: ["上海社区", "西二环社区", "学军社区"]),
            Street(name: "茶亭街道", communities: ["茶亭社区", "广达社区", "国货社区"]),
            Street(name: "洋中街道", communities: ["洋中社区", "福光社区", "三保社区"]),
            Street(name: "鳌峰街道", communities: ["鳌峰社区", "江滨社区", "鳌江社区"]),
            Street(name: "宁化街道", communities: ["宁化社区", "长汀社区", "交通路社区"]),
            Street(name: "苍霞街道", communities: ["苍霞社区", "帮洲社区", "延平社区"]),
        ]),
        District(code: "350104", name: "仓山区", streets: [
            Street(name: "仓前街道", communities: ["仓前社区", "梅坞社区", "麦园社区"]),
            Street(name: "东升街道", communities: ["东升社区", "藤山社区", "施埔社区"]),
            Street(name: "对湖街道", communities: ["对湖社区", "师大社区", "乐群社区"]),
            Street(name: "临江街道", communities: ["临江社区", "江南社区", "岭后社区"]),
            Street(name: "三叉街街道", communities: ["三叉街社区", "高湖社区", "白湖亭社区"]),
            Street(name: "上渡街道", communities: ["上渡社区", "尚藤社区", "半洲社区"]),
            Street(name: "下渡街道", communities: ["下渡社区", "南江滨社区", "冠浦社区"]),
            Street(name: "金山街道", communities: ["金山社区", "浦上社区", "金港社区", "金祥社区"]),
            Street(name: "建新镇", communities: ["淮安村", "洪塘村", "建新村"]),
            Street(name: "仓山镇", communities: ["首山社区", "先锋村", "叶厦村"]),
            Street(name: "城门镇", communities: ["城门村", "林浦村", "濂江村", "胪雷村"]),
            Street(name: "盖山镇", communities: ["盖山村", "齐安村", "郭宅村"]),
            Street(name: "螺洲镇", communities: ["螺洲村", "吴厝村", "店前村"]),
        ]),
        District(code: "350105", name: "马尾区", streets: [
            Street(name: "罗星街道", communities: ["罗星社区", "马限社区", "君竹社区"]),
            Street(name: "马尾镇", communities: ["快安村", "魁岐村", "儒江村"]),
            Street(name: "亭江镇", communities: ["亭江村", "闽安村", "长柄村"]),
            Street(name: "琅岐镇", communities: ["海屿村", "龙台村", "红光村"]),
        ]),
        District(code: "350111", name: "晋安区", streets: [
            Street(name: "王庄街道", communities: ["王庄社区", "福新社区", "晋连社区"]),
            Street(name: "象园街道", communities: ["象园社区", "前横社区", "琴亭社区"]),
            Street(name: "茶园街道", communities: ["茶园社区", "桂香社区", "六一社区"]),
            Street(name: "鼓山镇", communities: ["前屿村", "樟林村", "远洋社区", "横屿村"]),
            Street(name: "新店镇", communities: ["赤桥村", "埔垱村", "井店村", "桂湖村"]),
            Street(name: "岳峰镇", communities: ["岳峰社区", "塔头社区", "竹屿社区", "鹤林社区"]),
            Street(name: "宦溪镇", communities: ["宦溪村", "降虎村", "板桥村"]),
            Street(name: "寿山乡", communities: ["寿山村", "九峰村", "前洋村"]),
            Street(name: "日溪乡", communities: ["日溪村", "党洋村", "汶洋村"]),
        ]),
        District(code: "350112", name: "长乐区", streets: [
            Street(name: "吴航街道", communities: ["郑和社区", "东关社区", "西关社区"]),
            Street(name: "航城街道", communities: ["琴江村", "洋屿村", "岱边村"]),
            Street(name: "营前街道", communities: ["营前社区", "长安村", "黄石村"]),
            Street(name: "漳港街道", communities: ["仙岐村", "显应村", "漳港村"]),
            Street(name: "首占镇", communities: ["首占村", "新亭村", "塘屿村"]),
            Street(name: "玉田镇", communities: ["玉田村", "琅尾村", "东渡村"]),
            Street(name: "松下镇", communities: ["松下村", "首祉村", "山前村"]),
            Street(name: "江田镇", communities: ["江田村", "南阳村", "三溪村"]),
            Street(name: "古槐镇", communities: ["古槐村", "青山村", "龙田村"]),
            Street(name: "金峰镇", communities: ["金峰村", "华阳村", "六林村"]),
            Street(name: "潭头镇", communities: ["潭头村", "二刘村", "大宏村"]),
            Street(name: "梅花镇", communities: ["梅花村", "梅东村", "梅西村"]),
            Street(name: "鹤上镇", communities: ["鹤上村", "岐阳村", "沙京村"]),
            Street(name: "湖南镇", communities: ["湖南村", "鹏程村"]),
            Street(name: "文武砂镇", communities: ["文石村", "壶井村"]),
            Street(name: "猴屿乡", communities: ["猴屿村", "象屿村"]),
        ]),
        // 南屿镇, 南通镇 and 上街镇 belong to 闽侯县 but are largely administered by the
        // high-tech zone; they are listed under 高新区 only, so no area is counted twice.
        District(code: "350121", name: "闽侯县", streets: [
            Street(name: "甘蔗街道", communities: ["甘蔗社区", "昙石村", "恒心村"]),
            Street(name: "青口镇", communities: ["青口村", "东台村", "大义村"]),
            Street(name: "祥谦镇", communities: ["祥谦村", "枕峰村", "兰圃村"]),
            Street(name: "尚干镇", communities: ["尚干村", "庙前村", "凤港村"]),
            Street(name: "荆溪镇", communities: ["关东村", "徐家村", "溪下村"]),
            Street(name: "白沙镇", communities: ["白沙村", "孔元村", "联坑村"]),
            Street(name: "竹岐乡", communities: ["竹岐村", "榕岸村", "源通村"]),
            Street(name: "鸿尾乡", communities: ["鸿尾村", "超墘村", "埔头村"]),
            Street(name: "洋里乡", communities: ["洋里村", "乌石村"]),
            Street(name: "大湖乡", communities: ["大湖村", "雪峰村", "六锦村"]),
            Street(name: "廷坪乡", communities: ["廷坪村", "马坑村"]),
            Street(name: "小箬乡", communities: ["小箬村", "东门村"]),
        ]),
        District(code: "350122", name: "连江县", streets: [
            Street(name: "凤城镇", communities: ["江滨社区", "玉泉社区", "魁龙社区"]),
            Street(name: "敖江镇", communities: ["敖江社区", "塘下村", "南门村"]),
            Street(name: "东岱镇", communities: ["东岱村", "山堂村", "双鹤村"]),
            Street(name: "琯头镇", communities: ["琯头村", "壶江村", "粗芦村"]),
            Street(name: "晓澳镇", communities: ["晓澳村", "高山村"]),
            Street(name: "黄岐镇", communities: ["黄岐村", "北茭村", "赤澳村"]),
            Street(name: "筱埕镇", communities: ["筱埕村", "定海村", "东洛村"]),
            Street(name: "苔菉镇", communities: ["苔菉村", "东升村"]),
            Street(name: "透堡镇", communities: ["透堡村", "光临村"]),
            Street(name: "马鼻镇", communities: ["马鼻村", "东岭村"]),
            Street(name: "丹阳镇", communities: ["丹阳村", "东坪村"]),
            Street(name: "浦口镇", communities: ["浦口村", "东湖村"]),
        ]),
        District(code: "350123", name: "罗源县", streets: [
            Street(name: "凤山镇", communities: ["南门社区", "北门社区", "西门社区"]),
            Street(name: "松山镇", communities: ["松山村", "北山村", "迹头村"]),
            Street(name: "起步镇", communities: ["起步村", "护国村"]),
            Street(name: "中房镇", communities: ["中房村", "乾溪村"]),
            Street(name: "飞竹镇", communities: ["飞竹村", "梧桐村"]),
            Street(name: "鉴江镇", communities: ["鉴江村", "后湾村"]),
            Street(name: "碧里乡", communities: ["碧里村", "廪尾村"]),
            Street(name: "洪洋乡", communities: ["洪洋村", "石别村"]),
            Street(name: "西兰乡", communities: ["西兰村", "上洋村"]),
            Street(name: "白塔乡", communities: ["白塔村", "南洋村"]),
            Street(name: "霍口畲族乡", communities: ["霍口村", "福湖村"]),
        ]),
        District(code: "350124", name: "闽清县", streets: [
            Street(name: "梅城镇", communities: ["梅城社区", "西门社区", "大路社区"]),
            Street(name: "梅溪镇", communities: ["梅埔村", "新街社区"]),
            Street(name: "白樟镇", communities: ["白樟村", "云渡村"]),
            Street(name: "金沙镇", communities: ["金沙村", "洪埔村"]),
            Street(name: "白中镇", communities: ["白中村", "珠中村"]),
            Street(name: "池园镇", communities: ["池园村", "井后村"]),
            Street(name: "坂东镇", communities: ["坂东村", "新壶村"]),
            Street(name: "塔庄镇", communities: ["塔庄村", "秀环村"]),
            Street(name: "省璜镇", communities: ["省璜村", "良寨村"]),
            Street(name: "雄江镇", communities: ["雄江村", "梅雄村"]),
            Street(name: "东桥镇", communities: ["东桥村", "义由村"]),
            Street(name: "云龙乡", communities: ["云龙村", "际上村"]),
        ]),
        District(code: "350125", name: "永泰县", streets: [
            Street(name: "樟城镇", communities: ["城南社区", "城北社区", "马洋村"]),
            Street(name: "城峰镇", communities: ["太原村", "三捷村", "城峰村"]),
            Street(name: "清凉镇", communities: ["清凉村", "兰溪村"]),
            Street(name: "嵩口镇", communities: ["嵩口村", "月洲村", "大喜村"]),
            Street(name: "梧桐镇", communities: ["梧桐村", "椿阳村", "坵演村"]),
            Street(name: "葛岭镇", communities: ["葛岭村", "溪洋村"]),
            Street(name: "长庆镇", communities: ["长庆村", "中埔村"]),
            Street(name: "同安镇", communities: ["同安村", "洋尾村"]),
            Street(name: "大洋镇", communities: ["大洋村", "大展村"]),
            Street(name: "塘前乡", communities: ["塘前村", "芹草村"]),
            Street(name: "富泉乡", communities: ["富泉村", "力星村"]),
        ]),
        District(code: "350181", name: "福清市", streets: [
            Street(name: "玉屏街道", communities: ["瑞亭社区", "利桥社区", "后埔社区"]),
            Street(name: "龙山街道", communities: ["龙山社区", "西门社区", "南门社区"]),
            Street(name: "龙江街道", communities: ["龙江社区", "霞楼村", "观音埔村"]),
            Street(name: "宏路街道", communities: ["宏路社区", "石门村", "融侨社区"]),
            Street(name: "石竹街道", communities: ["石竹社区", "梧山村"]),
            Street(name: "音西街道", communities: ["音西社区", "洋埔村", "溪头村"]),
            Street(name: "阳下街道", communities: ["阳下社区", "洪宽村", "溪坂村"]),
            Street(name: "海口镇", communities: ["海口村", "牛宅村"]),
            Street(name: "城头镇", communities: ["城头村", "五龙村"]),
            Street(name: "江阴镇", communities: ["江阴村", "壁头村"]),
            Street(name: "渔溪镇", communities: ["渔溪村", "苏田村"]),
            Street(name: "高山镇", communities: ["高山村", "薛港村"]),
            Street(name: "龙田镇", communities: ["龙田村", "东营村"]),
            Street(name: "东张镇", communities: ["东张村", "少林村"]),
            Street(name: "三山镇", communities: ["三山村", "泽岐村"]),
            Street(name: "新厝镇", communities: ["新厝村", "江兜村"]),
        ]),
        // 福州高新技术产业开发区 has no official division code; 350190 is a platform-assigned
        // code. Its towns are 闽侯县 towns administered by the zone; "海西园片区" is a
        // zone-managed area (the Haixi high-tech park), not an official 街道.
        District(code: "350190", name: "高新区", streets: [
            Street(name: "南屿镇", communities: ["南屿村", "葛屿村", "高岐村", "五都村"]),
            Street(name: "南通镇", communities: ["文山村", "泽苗村", "古城村"]),
            Street(name: "上街镇", communities: ["侯官村", "榕桥村", "厚美村", "马保村"]),
            Street(name: "海西园片区", communities: ["高新社区", "创新园社区"]),
        ]),
    ]

    /// Stems for synthesising estate names (stem + suffix, e.g. "融侨" + "花园").
    public static let estateStems: [String] = [
        "融侨", "世茂", "泰禾", "阳光", "金辉", "正荣", "三盛", "建发", "万科", "保利",
        "中庚", "名城", "融信", "旭辉", "碧桂园", "中海", "华润", "招商", "绿城", "象屿",
        "禹洲", "宝龙", "永鸿", "大东海", "金山", "榕城", "闽江", "左海", "西湖", "三山",
        "冶山", "屏山", "乌山", "于山", "鼓山", "旗山", "福瑞", "金域", "东方", "温泉",
        "锦绣", "翠湖", "江滨", "江南", "滨江", "香榭", "紫阳", "凤凰", "榕园", "龙湖",
        "海峡", "华侨", "星光", "怡和", "恒丰", "兴业", "嘉和", "锦江", "丽景", "书香",
        "金色", "南江", "朝阳", "鹤林",
    ]

    /// Suffixes for synthesising estate names.
    public static let estateSuffixes: [String] = [
        "花园", "小区", "苑", "公寓", "新村", "家园", "华府", "御景", "城", "广场",
        "名都", "雅居", "山庄", "府", "湾", "里", "公馆", "庭", "大厦", "景苑",
    ]

    /// Real Fuzhou road names for synthesising addresses.
    public static let roads: [String] = [
        "五四路", "六一路", "八一七路", "工业路", "杨桥路", "湖东路", "华林路", "福新路",
        "福马路", "连江路", "金山大道", "则徐大道", "浦上大道", "乌山路", "白马路", "洪山路",
        "五一路", "东街", "鼓屏路", "古田路", "温泉公园路", "北环中路", "西二环路", "国货路",
        "台江路", "群众路", "江滨中大道", "南江滨西大道", "闽江大道", "福飞路", "铜盘路", "梅峰路",
        "西洪路", "化工路", "秀峰路", "首山路", "三环路", "福湾路", "湖滨路", "东大路",
        "津泰路", "郑和路", "清昌大道", "乌龙江大道", "学府南路",
    ]

    /// Trade-name stems for property-service companies; callers add the region prefix and
    /// the legal suffix (e.g. "福州" + stem + "物业服务有限公司").
    public static let companyStems: [String] = [
        "融侨", "永升", "恒安", "佳园", "万家", "榕城", "闽江", "三山", "安居", "和谐",
        "宜居", "鑫源", "惠民", "嘉福", "福瑞", "宏达", "华鼎", "信和", "康泰", "海峡",
        "金榕", "盛世", "顺达", "联合", "锦程", "同心", "鼎盛", "兴榕", "正祥", "安家",
        "世邦", "怡居",
    ]

    /// Common Chinese surnames, weighted towards those frequent in Fujian.
    public static let surnames: [String] = [
        "林", "陈", "黄", "张", "吴", "王", "李", "刘", "郑", "杨",
        "许", "何", "谢", "叶", "周", "蔡", "高", "游", "翁", "施",
        "江", "魏", "郭", "潘", "曾", "卢", "邱", "徐", "朱", "方",
        "詹", "赖", "余", "苏", "庄", "钟", "罗", "邓", "肖", "范",
        "孙", "胡", "薛", "严", "丁", "董", "沈", "韩", "唐", "冯",
        "程", "姚", "卓", "柯", "傅", "彭", "曹", "欧阳", "池", "宋",
    ]

    /// Characters for synthesising given names (one or two characters each).
    public static let givenNameCharacters: [String] = [
        "明", "华", "建", "国", "伟", "芳", "丽", "强", "敏", "静",
        "婷", "杰", "涛", "磊", "鹏", "辉", "峰", "斌", "勇", "军",
        "平", "玲", "燕", "霞", "红", "梅", "兰", "秀", "英", "凤",
        "榕", "闽", "福", "清", "荣", "晨", "宇", "浩", "欣", "怡",
        "佳", "俊", "志", "文", "武", "昊", "泽", "瑞", "琳", "雪",
        "晓", "思", "嘉", "诚", "彬", "海", "鑫", "颖", "蓉", "锋",
    ]
}
